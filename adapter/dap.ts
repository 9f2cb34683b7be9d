// The debug adapter's own entry (dist/dap.js), for clients that start an adapter program with no
// arguments (VS Code's debugger contribution, DebugClient); the same as `rvisor dap`.
import { runDebugAdapter } from './main.ts';

runDebugAdapter(process.argv.slice(2));
