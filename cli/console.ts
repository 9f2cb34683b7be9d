// The terminal side of a guest's console: raw bytes to the guest, and QEMU-style escape keys — on a
// terminal, Ctrl-A followed by a key runs a command (Ctrl-A Ctrl-A sends Ctrl-A itself). Without a
// terminal every byte goes to the guest.

const CTRL_A = 0x01;

/**
 * Reads stdin. `keys` maps a letter to its command; a command returning 'stop' drops the rest of
 * that chunk. Other escaped bytes go to the guest as they are.
 */
export function readConsole(tty: boolean, keys: Record<string, () => 'stop' | void>, toGuest: (bytes: Uint8Array) => void): void {
  let escaped = false;
  if (tty) process.stdin.setRawMode(true);
  process.stdin.on('data', (chunk: Buffer) => {
    const out: number[] = [];
    for (const b of chunk) {
      if (escaped) {
        escaped = false;
        const cmd = keys[String.fromCharCode(b)];
        if (cmd) {
          if (cmd() === 'stop') return;
          continue;
        }
        out.push(b);
        continue;
      }
      if (b === CTRL_A && tty) { escaped = true; continue; }
      out.push(b);
    }
    if (out.length) toGuest(Uint8Array.from(out));
  });
}
