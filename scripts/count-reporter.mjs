// node:test reporter that writes {"passed":N,"failed":N,"skipped":N,"failures":[...]} for scripts/test.mjs.
export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  for await (const event of source) {
    const data = event.data ?? {};
    if (data.details?.type === 'suite') continue;
    if (event.type === 'test:pass') {
      if (data.skip || data.todo) skipped++;
      else passed++;
    } else if (event.type === 'test:fail') {
      failed++;
      failures.push(`${data.file ?? ''}: ${data.name}`);
    }
  }
  yield JSON.stringify({ passed, failed, skipped, failures });
}
