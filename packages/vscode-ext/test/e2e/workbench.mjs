// Drives the VS Code workbench (code-server in Debian's Chromium) through its UI, as a person
// would: Explorer rows, context menus, quick input boxes, notifications, the queue view.
// Selectors and waits follow shared notes "vscode-e2e.md".
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const exact = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Launches Chromium on a fresh profile and opens the workbench for `folder`. */
export async function openWorkbench({ url, folder, profileDir, xdgConfig, screenshotDir }) {
  mkdirSync(screenshotDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.KWQM_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // Tall enough for an Explorer of ~50 files above a queue view of ~20 rows: lists render only
    // the rows in view, and a row that is not rendered cannot be clicked.
    viewport: { width: 1400, height: 1800 },
    env: { ...process.env, XDG_CONFIG_HOME: xdgConfig },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page
    .locator('.explorer-folders-view .monaco-list-row[role="treeitem"]')
    .first()
    .waitFor({ timeout: 60_000 });
  return new Workbench(context, page, screenshotDir);
}

export class Workbench {
  #shot = 0;

  constructor(context, page, screenshotDir) {
    this.context = context;
    this.page = page;
    this.screenshotDir = screenshotDir;
  }

  /** Saves a numbered screenshot of the whole window. */
  async screenshot(name) {
    this.#shot += 1;
    const path = join(this.screenshotDir, `${String(this.#shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** The Explorer row of a file by its exact name. */
  explorerRow(name) {
    return this.page
      .locator('.explorer-folders-view .monaco-list-row[role="treeitem"]')
      .filter({ has: this.page.locator('.label-name', { hasText: exact(name) }) });
  }

  /** Waits until the Explorer shows (or no longer shows) a file. */
  async waitForExplorerRow(name, { present = true, timeout = 30_000 } = {}) {
    const row = this.explorerRow(name);
    if (present) await row.first().waitFor({ state: 'visible', timeout });
    else await row.first().waitFor({ state: 'detached', timeout });
  }

  /**
   * Clicks Explorer rows: the first plainly, the others with Ctrl (a multi-selection), and checks
   * that every row ended up selected — a click that lands while the workbench is busy (an editor
   * opening) can be lost, so the whole selection is made again until it holds.
   */
  async selectInExplorer(names) {
    for (let attempt = 1; ; attempt += 1) {
      for (const [index, name] of names.entries()) {
        await this.explorerRow(name)
          .first()
          .click({ modifiers: index === 0 ? [] : ['Control'] });
        await pause(150);
      }
      const selected = await Promise.all(
        names.map((name) => this.explorerRow(name).first().getAttribute('aria-selected')),
      );
      if (selected.every((value) => value === 'true')) return;
      if (attempt === 3) throw new Error(`could not select ${names.join(', ')} (aria-selected: ${selected})`);
    }
  }

  /**
   * Right-clicks `target` and runs `KWQM › <item>` from its context menu. The Explorer can be
   * used before the extension's menus are registered, and an open menu does not update: when the
   * submenu is missing, close the menu and try again.
   */
  async runContextMenu(target, path) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await target.click({ button: 'right' });
      const first = this.page.getByRole('menuitem', { name: path[0], exact: true });
      try {
        await first.waitFor({ state: 'visible', timeout: 1500 });
        // A row can move between being found and being clicked (an output file appearing above it
        // in the Explorer): the menu then belongs to the row now under the pointer, and its
        // command would act on that file. A right-click focuses the row it hit; check it is ours.
        if (await target.evaluate((element) => element.classList.contains('focused'))) break;
        throw new Error(`the context menu opened on another row than the one aimed at (${path.join(' › ')})`);
      } catch (error) {
        await this.page.keyboard.press('Escape');
        if (Date.now() > deadline) throw error;
      }
    }
    for (const [index, name] of path.entries()) {
      const item = this.page.getByRole('menuitem', { name, exact: true });
      await item.waitFor({ state: 'visible', timeout: 5000 });
      // VS Code ignores a menu item's mouse-up in its first 100 ms.
      await pause(300);
      if (index < path.length - 1) {
        await item.hover();
        await item.click();
      } else {
        await item.click();
      }
    }
  }

  /**
   * Runs a command from the command palette by its full title (`KWQM: Show Queue`). An
   * extension's commands join the palette a while after the window opens: when the row is not
   * there, close the palette and try again.
   */
  async runCommand(title) {
    const deadline = Date.now() + 30_000;
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const row = this.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first();
    for (;;) {
      try {
        await this.page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 3000 });
        // The palette closes when something else takes the focus (a view refreshing, a toast):
        // short waits, so that counts as a miss and the palette is opened again.
        await input.fill(`>${title}`, { timeout: 3000 });
        await row.waitFor({ state: 'visible', timeout: 3000 });
        await pause(200);
        // Enter only into the palette: pressed anywhere else it would open or run something.
        if (await input.isVisible()) break;
        throw new Error(`the command palette closed before ${title} could be run`);
      } catch (error) {
        if (Date.now() > deadline) {
          await this.screenshot(`timeout-${title.replace(/[^\w.-]+/g, '-').slice(0, 40)}`).catch(
            () => undefined,
          );
          throw error;
        }
        await this.page.keyboard.press('Escape');
        await pause(1000);
      }
    }
    await this.page.keyboard.press('Enter');
  }

  /**
   * Replaces the user settings through the editor, as a person would: open settings.json,
   * select all, insert the new JSON, save, close.
   */
  async editUserSettings(settings) {
    await this.runCommand('Preferences: Open User Settings (JSON)');
    const lines = this.page.locator('.editor-instance .monaco-editor .view-lines').first();
    await lines.waitFor({ state: 'visible', timeout: 15_000 });
    await lines.click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(JSON.stringify(settings, null, 2));
    await this.page.keyboard.press('Control+S');
    // Closed only once saved: with files.autoSave off, closing an editor whose save is still in
    // flight asks "Do you want to save…" in a modal that blocks every later click.
    await this.page
      .locator('.editor-group-container.active .tab.active.dirty')
      .waitFor({ state: 'detached', timeout: 15_000 });
    await pause(500);
    await this.runCommand('View: Close All Editors');
  }

  /**
   * Answers VS Code's own (in-browser) open dialog with a full path. The dialog fills in its
   * starting folder asynchronously and rewrites the box as it goes, so the path is typed once the
   * folder is listed, and typed again if the dialog replaced it; Enter is pressed once the
   * file's row shows, and again while the dialog stays open.
   */
  async answerFileDialog(path) {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const rows = this.page.locator('.quick-input-widget .monaco-list-row');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    const name = path.slice(path.lastIndexOf('/') + 1);
    for (let attempt = 1; ; attempt += 1) {
      await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
      await pause(500);
      await input.fill(path);
      await rows
        .filter({ hasText: name })
        .first()
        .waitFor({ state: 'visible', timeout: 5000 })
        .catch(() => undefined);
      await pause(300);
      if ((await input.inputValue()) === path) break;
      if (attempt === 3)
        throw new Error(`the open dialog kept replacing the path (now ${await input.inputValue()})`);
    }
    // Only into the dialog: once it has closed, the same box may already be the next prompt (a
    // password box, empty), and an Enter there would answer it with nothing.
    const dialogStillOpen = async () =>
      (await input.isVisible()) &&
      (await input.getAttribute('type')) !== 'password' &&
      (await input.inputValue()) !== '';
    for (let attempt = 0; attempt < 3 && (await dialogStillOpen()); attempt += 1) {
      await input.press('Enter');
      await pause(700);
    }
  }

  /** Picks the quick-pick item whose label is exactly `label`. */
  async pickQuickItem(label) {
    const row = this.#quickItem(label);
    await row.first().waitFor({ state: 'visible', timeout: 15_000 });
    await pause(200);
    await row.first().click();
  }

  /**
   * Runs `open` (a menu action that shows a quick pick), then picks `label`; when the pick does not
   * show, or closes before the click, the action is run again, up to three times. Seen in CI on
   * slow runs before KWQM's picks set `ignoreFocusOut`: the queue view, refreshed by a running
   * job's progress, took the focus back just after the pick opened (VS Code's tree view refocuses
   * itself when a refresh ends within a moment of losing focus), and the pick closed. The picks
   * opened from an inline action use `pickQuickItem`, with no retry, so that fix stays checked.
   */
  async pickQuickItemFrom(open, label) {
    const row = this.#quickItem(label).first();
    for (let attempt = 1; ; attempt += 1) {
      await open();
      const picked = await row
        .waitFor({ state: 'visible', timeout: 8000 })
        .then(() => pause(200))
        .then(() => row.click({ timeout: 5000 }))
        .then(() => true)
        .catch(() => false);
      if (picked) return;
      if (attempt === 3) throw new Error(`the quick pick with "${label}" did not stay open`);
      await this.page.keyboard.press('Escape');
    }
  }

  #quickItem(label) {
    return this.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact(label) }) });
  }

  /** Clicks a button of the modal dialog that shows `text`. */
  async answerDialog(text, button) {
    const dialog = this.page.locator('.monaco-dialog-box').filter({ hasText: text });
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    await pause(300);
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  }

  /** Types into the password box that shows `prompt`, then Enter. */
  async answerPassword(prompt, value) {
    const widget = this.page.locator('.quick-input-widget').filter({ hasText: prompt });
    await widget.waitFor({ state: 'visible', timeout: 15_000 });
    const input = this.page.locator('.quick-input-widget input[type="password"]');
    await input.fill(value);
    await pause(150);
    await input.press('Enter');
    // The next box (or none) replaces this one; wait until this prompt is gone.
    await this.page
      .locator('.quick-input-widget:visible')
      .filter({ hasText: prompt })
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => undefined);
  }

  /** Waits for a notification toast containing `text`; returns its locator. */
  async waitForToast(text, timeout = 60_000) {
    const toast = this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
    try {
      await toast.first().waitFor({ state: 'visible', timeout });
    } catch (error) {
      // What the window showed instead, for the failure report.
      await this.screenshot(`timeout-${text.replace(/[^\w.-]+/g, '-').slice(0, 40)}`).catch(() => undefined);
      throw error;
    }
    // Toasts slide in; let the screenshot show the settled toast.
    await pause(400);
    return toast.first();
  }

  /** Closes every notification toast. */
  async clearToasts() {
    await this.runCommand('Notifications: Clear All Notifications');
    await pause(300);
  }

  /** The pane of a view in the side bar by its title. */
  viewPane(title) {
    return this.page.locator('.pane').filter({ has: this.page.locator('.pane-header', { hasText: title }) });
  }

  /** A row of the KWQM Queue view whose text contains `text`. */
  queueRow(text) {
    return this.viewPane('KWQM Queue').locator('.monaco-list-row[role="treeitem"]').filter({ hasText: text });
  }

  /** Waits until a row of the KWQM Queue view contains both `name` and `text` (a string or RegExp, e.g. `compress · high`). */
  async waitForQueueRow(name, text, timeout = 15_000) {
    await this.queueRow(name).filter({ hasText: text }).first().waitFor({ timeout });
  }

  /**
   * The queue view's rows as shown, top to bottom: `{ level, text }` (level 1 = a group, 2 = a
   * job; text = label, a space, description). The list renders rows out of order in the DOM; `data-index` is their place in the tree.
   */
  async queueTree() {
    const rows = this.viewPane('KWQM Queue').locator('.monaco-list-row[role="treeitem"]');
    const found = await rows.evaluateAll((elements) =>
      elements.map((element) => {
        const label = element.querySelector('.label-name')?.textContent ?? '';
        const description = element.querySelector('.label-description')?.textContent ?? '';
        return {
          index: Number(element.getAttribute('data-index')),
          level: Number(element.getAttribute('aria-level')),
          text: description === '' ? label : `${label} ${description}`,
        };
      }),
    );
    return found.sort((a, b) => a.index - b.index).map(({ level, text }) => ({ level, text }));
  }

  /** The label of the group (level-1 row) the first job row containing `text` sits under. */
  async queueGroupOf(text) {
    let group;
    for (const row of await this.queueTree()) {
      if (row.level === 1) group = row.text;
      else if (row.text.includes(text)) return group;
    }
    return undefined;
  }

  /** Clicks a row's inline action (the icon shown on hover) by its title. */
  async clickInlineAction(row, title) {
    // A selected row shows its inline actions without depending on where the mouse rests.
    await row.click();
    await row.hover();
    const button = row.locator(`.actions .action-label[aria-label="${title}"]`);
    await button.waitFor({ state: 'visible', timeout: 10_000 });
    await pause(300);
    await button.click();
  }

  /**
   * Moves the queue view's header to `top` px by dragging the sash above it (up or down), so both
   * the Explorer's files and a dozen queue rows fit: lists render only the rows in view, and a row
   * out of view cannot be used. The drag starts only once that sash is under the pointer and
   * enabled (it is disabled for a moment while the view first lays out): a drag that starts on
   * the header itself would move the view below Outline and Timeline instead of resizing it.
   */
  async placeQueueView(top) {
    const header = this.viewPane('KWQM Queue').locator('.pane-header');
    const deadline = Date.now() + 20_000;
    for (;;) {
      const box = await header.boundingBox();
      if (box !== null && Math.abs(box.y - top) < 10) return;
      const x = box === null ? 0 : box.x + box.width / 2;
      const onSash =
        box !== null &&
        (await this.page.evaluate(
          ([px, py]) => {
            const element = document.elementFromPoint(px, py);
            return (
              element?.classList.contains('monaco-sash') === true && !element.classList.contains('disabled')
            );
          },
          [x, box.y],
        ));
      if (onSash) {
        await this.page.mouse.move(x, box.y);
        await pause(200);
        await this.page.mouse.down();
        await this.page.mouse.move(x, (box.y + top) / 2, { steps: 5 });
        await this.page.mouse.move(x, top, { steps: 5 });
        await this.page.mouse.up();
      }
      if (Date.now() > deadline)
        throw new Error(`could not move the queue view's header to ${top} px (at ${box?.y})`);
      await pause(300);
    }
  }

  /** The text on the browser's clipboard (what `vscode.env.clipboard.writeText` put there). */
  async readClipboard() {
    await this.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(this.page.url()).origin,
    });
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  /** Puts `text` on the browser's clipboard, so a later read tells whether something replaced it. */
  async writeClipboard(text) {
    await this.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(this.page.url()).origin,
    });
    await this.page.evaluate((value) => navigator.clipboard.writeText(value), text);
  }

  /** The name on the active editor group's active tab, or `undefined` when no editor is open. */
  async activeEditorName() {
    const label = this.page.locator('.editor-group-container.active .tab.active .label-name');
    if ((await label.count()) === 0) return undefined;
    return (await label.first().textContent()) ?? undefined;
  }

  /** The text the active editor shows (only the lines in view), spaces as typed. */
  async activeEditorText() {
    const lines = this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    return ((await lines.textContent()) ?? '').replace(/\u00a0/g, ' ');
  }

  /** The text the panel's Output view shows (only the lines in view), or '' when it is hidden. */
  async outputViewText() {
    const lines = this.page.locator('.part.panel .monaco-editor .view-lines');
    if ((await lines.count()) === 0 || !(await lines.first().isVisible())) return '';
    return ((await lines.first().textContent()) ?? '').replace(/\u00a0/g, ' ');
  }

  /**
   * The badge on the activity bar entry of a view container (`Explorer`): a view's badge (the
   * queue view's count of active jobs) shows on the container it sits in.
   */
  activityBadge(containerLabel) {
    return this.page
      .locator('.part.activitybar .action-item')
      .filter({ has: this.page.locator(`.action-label[aria-label^="${containerLabel}"]`) })
      .locator('.badge');
  }

  /** The KWQM status bar item. */
  statusBarItem() {
    return this.page.locator('.statusbar-item').filter({ hasText: /KWQM \d+ running/ });
  }
}
