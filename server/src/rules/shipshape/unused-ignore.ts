import { defineEngineRule } from '../../engine/rule';
import { DIRECTIVE_MESSAGES } from '../../core/directives';

/**
 * Flags directive ids that suppressed nothing where they apply (ESLint's
 * unused-disable): the rule ran on the file and reported nothing on that
 * line, object or file. Silent for rules that did not run there (disabled
 * in config, another file kind). The engine reports it
 * (engine/directive-findings.ts); this module gives it an id, metadata and docs.
 */
export const rule = defineEngineRule({
  id: 'shipshape/unused-ignore',
  meta: {
    title: 'Ignore directive suppresses nothing',
    description: 'A shipshape:ignore directive or shipshape.dev/ignore annotation names a rule that reports nothing where it applies; it would hide a future finding there.',
    severity: 'info',
    fixable: true,
    unnecessary: true,
    messages: { unused: DIRECTIVE_MESSAGES.unusedIgnore },
  },
});
