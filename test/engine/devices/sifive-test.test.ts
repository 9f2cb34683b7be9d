import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SifiveTest, sysconPowerNodes } from '../../../engine/devices/sifive-test.ts';
import { fdtProp } from '../../../engine/board/fdt.ts';

function makeTest() {
  const events: string[] = [];
  const dev = new SifiveTest({
    name: 'test',
    phandle: 6,
    onPowerOff: (code) => events.push(`off ${code}`),
    onReset: () => events.push('reset'),
  });
  return { dev, events };
}

test('finisher codes: pass, fail with code, reset; others ignored', () => {
  const { dev, events } = makeTest();
  dev.write(0, 4, 0x5555);
  dev.write(0, 4, (42 << 16) | 0x3333);
  dev.write(0, 4, 0x7777);
  dev.write(0, 4, 0x1234);
  dev.write(4, 4, 0x5555); // not the finisher register
  assert.deepEqual(events, ['off 0', 'off 42', 'reset']);
  assert.equal(dev.read(0, 4), 0);
  assert.equal(dev.describe().registers[0].value, 0x1234);
});

test('a fail code uses all 16 high bits', () => {
  const { dev, events } = makeTest();
  dev.write(0, 4, 0xffff3333);
  assert.deepEqual(events, ['off 65535']);
});

test('saveState/loadState round-trip', () => {
  const a = makeTest();
  a.dev.write(0, 4, 0x7777);
  const b = makeTest();
  b.dev.loadState(JSON.parse(JSON.stringify(a.dev.saveState())));
  assert.deepEqual(b.dev.describe(), a.dev.describe());
});

test('fdt nodes match QEMU virt: test@100000 plus root-level poweroff and reboot', () => {
  const { dev } = makeTest();
  const n = dev.fdtNode(0x100000, 0x1000);
  assert.equal(n.name, 'test@100000');
  assert.deepEqual(fdtProp(n, 'compatible'), { strs: ['sifive,test1', 'sifive,test0', 'syscon'] });
  assert.deepEqual(fdtProp(n, 'reg'), { u32: [0, 0x100000, 0, 0x1000] });
  assert.deepEqual(fdtProp(n, 'phandle'), { u32: [6] });
  const [off, reboot] = sysconPowerNodes(dev.phandle);
  assert.equal(off.name, 'poweroff');
  assert.deepEqual(fdtProp(off, 'compatible'), { str: 'syscon-poweroff' });
  assert.deepEqual(fdtProp(off, 'regmap'), { u32: [6] });
  assert.deepEqual(fdtProp(off, 'offset'), { u32: [0] });
  assert.deepEqual(fdtProp(off, 'value'), { u32: [0x5555] });
  assert.equal(reboot.name, 'reboot');
  assert.deepEqual(fdtProp(reboot, 'compatible'), { str: 'syscon-reboot' });
  assert.deepEqual(fdtProp(reboot, 'value'), { u32: [0x7777] });
});
