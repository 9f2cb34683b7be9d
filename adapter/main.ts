// `rvisor dap`: the debug adapter on stdin/stdout (the editor starts it), or with --port N on
// 127.0.0.1:N for any DAP client.
import { createServer } from 'node:net';
import { RvisorDebugSession } from './session.ts';

export function runDebugAdapter(argv: string[]): void {
  const p = argv.indexOf('--port');
  if (p < 0) {
    // As DebugSession.run does for stdio.
    const session = new RvisorDebugSession();
    process.on('SIGTERM', () => process.exit(0));
    session.start(process.stdin, process.stdout);
    return;
  }
  const port = Number(argv[p + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`rvisor dap: --port needs a port number (got '${argv[p + 1] ?? ''}')\n`);
    process.exit(2);
  }
  const server = createServer((socket) => {
    const session = new RvisorDebugSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  server.listen(port, '127.0.0.1', () => {
    const a = server.address();
    process.stderr.write(`rvisor dap: listening on 127.0.0.1:${typeof a === 'object' && a ? a.port : port}\n`);
  });
}
