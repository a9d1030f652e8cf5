// Entry of the protocol tests' server bundle: the production server module with the test registry.
import { runLanguageServer } from '../../../server/src/lsp/run';
import { TEST_RULES } from './test-rules';

runLanguageServer({ rules: TEST_RULES });
