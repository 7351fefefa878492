import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KWQM_COMMAND_CATEGORY, KWQM_COMMANDS, QUEUE_VIEW_ID } from './commands.js';
import { JOB_CONTEXT_VALUES } from './job-presentation.js';
import { DEFAULT_SETTINGS } from './settings.js';

interface MenuItem {
  command?: string;
  submenu?: string;
  when?: string;
  group?: string;
}
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  activationEvents: string[];
  main: string;
  engines: { vscode: string };
  contributes: {
    commands: { command: string; title: string; category: string; icon?: string }[];
    menus: Record<string, MenuItem[]>;
    submenus: { id: string; label: string }[];
    views: Record<string, { id: string; name: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    configuration: { properties: Record<string, { default: unknown }> };
  };
  devDependencies: Record<string, string>;
};
const { contributes } = manifest;
const commandIds = Object.values(KWQM_COMMANDS).map((command) => command.id);

describe('the manifest', () => {
  it('contributes exactly the commands of KWQM_COMMANDS, with their titles, icons and the KWQM category', () => {
    expect(
      contributes.commands.map(({ command, title, category, icon }) => ({ command, title, category, icon })),
    ).toEqual(
      Object.values(KWQM_COMMANDS).map((command) => ({
        command: command.id,
        title: command.title,
        category: KWQM_COMMAND_CATEGORY,
        icon: 'icon' in command ? command.icon : undefined,
      })),
    );
  });

  it('names only known commands and submenus in its menus', () => {
    const submenus = contributes.submenus.map((submenu) => submenu.id);
    for (const [menu, items] of Object.entries(contributes.menus)) {
      expect(menu.startsWith('kwqm.') ? submenus : [menu]).toContain(menu);
      for (const item of items) {
        if (item.submenu !== undefined) expect(submenus).toContain(item.submenu);
        else expect(commandIds).toContain(item.command);
      }
    }
  });

  it('shows Encrypt File for files only and Decrypt File for .age files in the Explorer submenu', () => {
    const submenu = contributes.menus['kwqm.explorerSubmenu'] ?? [];
    const when = (id: string) => submenu.find((item) => item.command === id)?.when;
    expect(contributes.menus['explorer/context']).toContainEqual(
      expect.objectContaining({ submenu: 'kwqm.explorerSubmenu' }),
    );
    expect(when(KWQM_COMMANDS.encryptFile.id)).toBe('!explorerResourceIsFolder');
    expect(when(KWQM_COMMANDS.decryptFile.id)).toBe('resourceExtname == .age');
  });

  it('keys queue-view actions on the contextValues the tree items set', () => {
    const itemMenus = contributes.menus['view/item/context'] ?? [];
    const used = new Set(itemMenus.map((item) => /viewItem == ([\w.]+)/.exec(item.when ?? '')?.[1]));
    const known = new Set(Object.values(JOB_CONTEXT_VALUES));
    for (const value of used) expect(known).toContain(value);
    const actionsFor = (value: string) =>
      new Set(
        itemMenus.filter((item) => item.when?.endsWith(`viewItem == ${value}`)).map((item) => item.command),
      );
    expect(actionsFor(JOB_CONTEXT_VALUES.queued)).toEqual(
      new Set([KWQM_COMMANDS.removeJob.id, KWQM_COMMANDS.changePriority.id]),
    );
    expect(actionsFor(JOB_CONTEXT_VALUES.running)).toEqual(new Set([KWQM_COMMANDS.cancelJob.id]));
    expect(actionsFor(JOB_CONTEXT_VALUES.succeeded)).toEqual(new Set([KWQM_COMMANDS.revealOutput.id]));
    expect(actionsFor(JOB_CONTEXT_VALUES.failed)).toEqual(new Set([KWQM_COMMANDS.showError.id]));
  });

  it('contributes the queue view with a welcome view', () => {
    expect(
      Object.values(contributes.views)
        .flat()
        .map((view) => view.id),
    ).toContain(QUEUE_VIEW_ID);
    expect(contributes.viewsWelcome.map((welcome) => welcome.view)).toContain(QUEUE_VIEW_ID);
  });

  it('declares the same defaults as DEFAULT_SETTINGS', () => {
    const defaults = Object.fromEntries(
      Object.entries(contributes.configuration.properties).map(([key, value]) => [
        key.replace(/^kwqm\./, ''),
        value.default,
      ]),
    );
    expect(defaults).toEqual(DEFAULT_SETTINGS);
  });

  it('activates only on its own commands and view (implicit since VS Code 1.74) and bundles its entry', () => {
    expect(manifest.activationEvents).toEqual([]);
    expect(manifest.main).toBe('./dist/extension.cjs');
    // @types/vscode must not be newer than the engine the manifest claims.
    expect(manifest.engines.vscode).toBe(`^${manifest.devDependencies['@types/vscode']}`);
  });
});
