import { defineEngineRule } from '../../engine/rule';
import { DIRECTIVE_MESSAGES } from '../../core/directives';

/**
 * Flags ids in `shipshape:ignore` / `shipshape:ignore-file` comments and
 * `shipshape.dev/ignore` annotations that name no Shipshape rule (a typo, a
 * renamed rule): such a directive silently suppresses nothing. The engine
 * reports it (engine/directive-findings.ts); this module gives it an id,
 * metadata and docs, so users can turn it off by id.
 */
export const rule = defineEngineRule({
  id: 'shipshape/unknown-rule',
  meta: {
    title: 'Directive names an unknown rule',
    description: 'A shipshape:ignore directive or shipshape.dev/ignore annotation names a rule id that does not exist, so it suppresses nothing.',
    severity: 'warning',
    fixable: false,
    messages: { unknown: DIRECTIVE_MESSAGES.unknownRule },
  },
});
