import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package's own files (docs pages, package.json), found from wherever this code runs: dist/ or server/src/cli/. */
export interface PackageInfo {
  root: string;
  version: string;
  /** `repository` URL of package.json, without `git+` and `.git`; undefined when it names none. */
  repositoryUrl?: string;
}

export function packageInfo(): PackageInfo {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string; repository?: string | { url?: string } };
      if (pkg.name === 'shipshape') {
        const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
        return { root: dir, version: pkg.version ?? '0.0.0', repositoryUrl: repo ? repo.replace(/^git\+/, '').replace(/\.git$/, '') : undefined };
      }
    }
    if (path.dirname(dir) === dir) return { root: path.resolve(__dirname, '..'), version: '0.0.0' };
  }
}

/** The rule's bundled docs page (markdown), or undefined when missing. */
export function ruleDocs(info: PackageInfo, ruleId: string): string | undefined {
  try {
    return fs.readFileSync(path.join(info.root, 'docs', 'rules', `${ruleId}.md`), 'utf8');
  } catch {
    return undefined;
  }
}
