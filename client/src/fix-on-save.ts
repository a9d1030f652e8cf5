import * as vscode from 'vscode';
import { FIX_ALL_KIND } from './fix-all';

/**
 * The `editor.codeActionsOnSave` value with Shipshape's fix-all turned on,
 * keeping what is there (the object form, or the older array form). Pure, unit-tested.
 */
export function withFixAllOnSave(current: unknown): Record<string, string> | string[] {
  if (Array.isArray(current)) {
    const list = current.filter((k): k is string => typeof k === 'string');
    return list.includes(FIX_ALL_KIND) ? list : [...list, FIX_ALL_KIND];
  }
  const obj = typeof current === 'object' && current !== null ? (current as Record<string, string>) : {};
  return { ...obj, [FIX_ALL_KIND]: 'explicit' };
}

/** "Shipshape: Turn On Fix All on Save" (the walkthrough's step): in the user settings, for every language. */
export async function turnOnFixAllOnSave(): Promise<void> {
  const config = vscode.workspace.getConfiguration('editor');
  const current = config.inspect<unknown>('codeActionsOnSave')?.globalValue;
  await config.update('codeActionsOnSave', withFixAllOnSave(current), vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Shipshape: saving a file now applies its safe fixes ("editor.codeActionsOnSave": { "${FIX_ALL_KIND}": "explicit" }).`);
}
