// Entry of dist/server.js: the VS Code client starts it with --node-ipc, other editors with --stdio.
import { runLanguageServer } from './run';

runLanguageServer();
