import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection, WorkspaceFolder } from 'vscode-languageserver';
import type { ConfigResolver } from '../engine/config/config';
import type { AnyRule } from '../engine/rule';
import { isWithin } from '../engine/workspace';
import { RuleSettingValidator } from '../engine/config/rule-settings';
import { normalizeSettings, DEFAULT_SETTINGS, type ConfigProvider, type ServerSettings } from './settings';
import type { Log } from './log';

/** Editor URI → absolute path; non-file URIs (untitled:) get a stable pseudo path outside any folder. */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) return fileURLToPath(uri);
  return path.join(path.sep, `.${uri.split(':')[0]}`, encodeURIComponent(uri));
}

export function pathToUri(filePath: string): string {
  return pathToFileURL(filePath).href;
}

interface FolderState {
  settings: ServerSettings;
  config: ConfigResolver;
}

/**
 * Workspace folders and, per folder, the settings read through
 * `workspace/configuration` and the config resolver built from them. Both are
 * cached until the settings or a `.shipshape.yaml` change.
 */
export class WorkspaceState {
  folders: string[] = [];
  private readonly byFolder = new Map<string, Promise<FolderState>>();
  /** Settings pushed with didChangeConfiguration, for clients without `workspace/configuration`. */
  pushedSettings: unknown;
  canPullConfiguration = false;
  /** Checks `shipshape.rules` against the registry's option schemas (the one validator every source uses). */
  private readonly settingValidator: RuleSettingValidator;

  constructor(
    private readonly connection: Connection,
    private readonly registry: readonly AnyRule[],
    private readonly configProvider: ConfigProvider,
    private readonly log: Log,
  ) {
    this.settingValidator = new RuleSettingValidator(registry);
  }

  setFolders(folders: readonly WorkspaceFolder[] | null | undefined, rootUri?: string | null): void {
    const list = folders?.map((f) => uriToPath(f.uri)) ?? (rootUri ? [uriToPath(rootUri)] : []);
    this.folders = [...new Set(list)];
    this.invalidate();
  }

  /** Forgets cached settings and config (settings or a config file changed). */
  invalidate(): void {
    this.byFolder.clear();
  }

  /** The workspace folder holding a file (innermost), or the file's own directory outside folders. */
  folderOf(filePath: string): string {
    const holding = this.folders.filter((f) => isWithin(filePath, f)).sort((a, b) => b.length - a.length).at(0);
    return holding ?? path.dirname(filePath);
  }

  get roots(): string[] {
    return this.folders;
  }

  async stateFor(filePath: string): Promise<FolderState> {
    const folder = this.folderOf(filePath);
    let state = this.byFolder.get(folder);
    if (!state) {
      state = this.load(folder);
      this.byFolder.set(folder, state);
    }
    return state;
  }

  private async load(folder: string): Promise<FolderState> {
    let raw: unknown = this.pushedSettings;
    if (this.canPullConfiguration) {
      try {
        raw = await this.connection.workspace.getConfiguration({ scopeUri: pathToUri(folder), section: 'shipshape' });
      } catch (e) {
        this.log.warn(`could not read settings for ${folder}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const { settings, problems } = normalizeSettings(raw ?? DEFAULT_SETTINGS, this.settingValidator);
    for (const p of problems) this.log.warn(`settings: ${p}`);
    this.log.setLevel(settings.trace);
    return { settings, config: this.configProvider(this.registry, settings, folder) };
  }
}
