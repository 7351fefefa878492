// End-to-end tests of the packaged extension in a real VS Code: code-server 4.100.3 driven through
// Debian's Chromium by playwright-core. Every step goes through the UI; every result is checked on
// disk, with the reference `age` CLI where a file is encrypted. Screenshots of each step land in
// packages/vscode-ext/test-output/screenshots/ (gitignored).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { encryptBytes } from '@kwqm/node-runtime';
import { ageDecryptWithPassphrase, ageEncryptWithPassphrase } from './age-cli.mjs';
import {
  installCodeServer,
  installExtension,
  packageExtension,
  runFolders,
  startCodeServer,
  writeUserSettings,
} from './code-server.mjs';
import { openWorkbench } from './workbench.mjs';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const outputDir = join(packageDir, 'test-output');
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Distinct passphrases per step, so a log leak or a mix-up is attributable.
const PASSPHRASES = {
  hello: `hello-${randomBytes(6).toString('hex')}`,
  secret: `secret-${randomBytes(6).toString('hex')}`,
  multi: `multi-${randomBytes(6).toString('hex')}`,
  queued: `queued-${randomBytes(6).toString('hex')}`,
  right: `right-${randomBytes(6).toString('hex')}`,
  wrong: `wrong-${randomBytes(6).toString('hex')}`,
  again: `again-${randomBytes(6).toString('hex')}`,
  high: `high-${randomBytes(6).toString('hex')}`,
  open: `open-${randomBytes(6).toString('hex')}`,
  openEncrypt: `open-encrypt-${randomBytes(6).toString('hex')}`,
  welcome: `welcome-${randomBytes(6).toString('hex')}`,
  rememberTypo: `typo-${randomBytes(6).toString('hex')}`,
  unsaved: `unsaved-${randomBytes(6).toString('hex')}`,
};
/**
 * Kept in the editor's secret storage by design (kwqm.rememberPassphrase), so left out of the
 * check that no passphrase reaches a file.
 */
const REMEMBERED_PASSPHRASE = `remembered-${randomBytes(6).toString('hex')}`;

let folders;
let server;
let workbench;
/** The daemon the extension starts for `kwqm.useDaemon: always` (its pid from the KWQM log). */
let daemonPid;
const contents = new Map();

function writeWorkspaceFile(name, bytes) {
  writeFileSync(join(folders.workspace, name), bytes);
  contents.set(name, bytes);
}

/** Files that start with their own name (told apart at a glance), then `randomLength` random bytes. */
function writeNamedRandomFiles(names, randomLength) {
  for (const name of names) {
    writeWorkspaceFile(name, Buffer.concat([Buffer.from(`${name}\n`), randomBytes(randomLength)]));
  }
}

function workspacePath(name) {
  return join(folders.workspace, name);
}

/** Decrypts with the reference age CLI and returns the bytes. */
function decryptWithAge(name, passphrase) {
  const output = join(folders.runDir, `${name}.age-cli-out`);
  rmSync(output, { force: true });
  const result = ageDecryptWithPassphrase(workspacePath(name), output, passphrase);
  assert.equal(result.status, 0, `age -d ${name} failed: ${result.output}`);
  // age opens its output lazily: an empty plaintext leaves no file.
  return existsSync(output) ? readFileSync(output) : Buffer.alloc(0);
}

function findFiles(folder, predicate, found = []) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) findFiles(path, predicate, found);
    // Regular files only: the browser profile holds dangling lock symlinks.
    else if (entry.isFile() && predicate(entry.name)) found.push(path);
  }
  return found;
}

/** The KWQM output channel's log file (a LogOutputChannel writes one under the user-data logs). */
function kwqmLog() {
  const logs = findFiles(join(folders.userData, 'logs'), (name) => name === 'KWQM.log');
  assert.equal(logs.length, 1, `expected one KWQM.log, found ${logs.join(', ')}`);
  return logs[0];
}

/**
 * Clicks `name` in the Explorer and waits for what the click sets off: a single click opens the
 * file in a preview editor, and the Explorer then reveals (selects) the active editor's file. On a
 * slow run that came after a Reveal in Explorer clicked next and took its selection away (CI, once).
 */
async function selectOtherExplorerRow(name) {
  await workbench.explorerRow(name).first().click();
  await waitFor(async () => (await workbench.activeEditorName()) === name, `${name} is the active editor`);
  await waitFor(
    async () => (await workbench.explorerRow(name).first().getAttribute('aria-selected')) === 'true',
    `${name} is selected in the Explorer`,
  );
  await pause(300);
}

/** Waits until `check()` (sync or async) is true, polling; fails with `what`. */
async function waitFor(check, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await pause(200);
  }
}

/** Waits for a line of the KWQM log matching `pattern`; returns the match. */
async function waitForLog(pattern, timeout = 15_000) {
  let match = null;
  await waitFor(
    () => {
      match = pattern.exec(readFileSync(kwqmLog(), 'utf8'));
      return match !== null;
    },
    `the log matches ${pattern}`,
    timeout,
  );
  return match;
}

/** The notification toasts KWQM shows (its messages start with `KWQM:`). */
function kwqmToasts() {
  return workbench.page.locator('.notifications-toasts .notification-toast').filter({ hasText: /KWQM: / });
}

/** The workspace's entries (dot files too) whose name contains `part`, sorted. */
function workspaceEntries(part) {
  return readdirSync(folders.workspace)
    .filter((name) => name.includes(part))
    .sort();
}

/** The queue view's queued groups and rows, as text, top to bottom. */
async function queuedRows() {
  const rows = await workbench.queueTree();
  const texts = [];
  let inQueued = false;
  for (const row of rows) {
    if (row.level === 1) inQueued = row.text.startsWith('Queued');
    if (inQueued) texts.push(row.text);
  }
  return texts;
}

/** A tall queue view holding only what the next test adds (no earlier finished rows). */
async function prepareQueueView() {
  await workbench.runCommand('KWQM: Show Queue');
  // The Explorer keeps the top 1300 px (the workspace's ~45 files), the queue view the rest.
  await workbench.placeQueueView(1300);
  await workbench.runCommand('KWQM: Clear Finished Jobs');
  await pause(300);
}

/**
 * Cancels the slow big.bin job if a failed test left it running, so the next tests do not queue
 * behind it (a failure must not cascade).
 */
async function stopSlowJob() {
  const running = workbench.queueRow('big.bin').filter({ hasText: /(hash|compress) · (starting|\d+%)/ });
  if ((await running.count()) === 0) return;
  await workbench.page.keyboard.press('Escape');
  await workbench.clickInlineAction(running.first(), 'Cancel Job').catch(() => undefined);
  await workbench.waitForQueueRow('big.bin', 'canceled', 30_000).catch(() => undefined);
}

/** Sets one user setting through the settings.json editor and waits until it is saved. */
async function setUserSetting(key, value) {
  const settingsPath = join(folders.userData, 'User', 'settings.json');
  const settings = { ...JSON.parse(readFileSync(settingsPath, 'utf8')), [key]: value };
  await workbench.editUserSettings(settings);
  await waitFor(
    () => JSON.parse(readFileSync(settingsPath, 'utf8'))[key] === value,
    `settings.json holds ${key}: ${value}`,
    15_000,
  );
}

describe('KWQM extension in code-server', { timeout: 600_000 }, () => {
  before(async () => {
    installCodeServer();
    const vsix = packageExtension();
    rmSync(join(outputDir, 'run'), { recursive: true, force: true });
    rmSync(join(outputDir, 'screenshots'), { recursive: true, force: true });
    folders = runFolders(join(outputDir, 'run'));
    installExtension(folders, vsix);
    // One worker thread, so a slow job holds the queue; the in-editor queue, never a daemon.
    writeUserSettings(folders, { 'kwqm.workers': 1, 'kwqm.useDaemon': 'never' });

    writeWorkspaceFile('hello.txt', Buffer.concat([Buffer.from('Hello, KWQM!\n'), randomBytes(70_000)]));
    writeWorkspaceFile('multi-a.bin', randomBytes(1000));
    writeWorkspaceFile('multi-b.bin', randomBytes(200_000));
    writeWorkspaceFile('multi-c.bin', Buffer.alloc(0));
    writeWorkspaceFile('queued.txt', Buffer.from('I should never be encrypted\n'));
    // Made by the reference CLI at its default scrypt work factor, decrypted by the extension.
    const secretSource = join(folders.runDir, 'secret.txt');
    const secretBytes = Buffer.concat([Buffer.from('age made me\n'), randomBytes(5000)]);
    writeFileSync(secretSource, secretBytes);
    contents.set('secret.txt', secretBytes);
    assert.equal(
      ageEncryptWithPassphrase(secretSource, workspacePath('secret.txt.age'), PASSPHRASES.secret).status,
      0,
    );
    const wrongSource = join(folders.runDir, 'wrong.txt');
    writeFileSync(wrongSource, 'not for you\n');
    assert.equal(
      ageEncryptWithPassphrase(wrongSource, workspacePath('wrong.txt.age'), PASSPHRASES.right).status,
      0,
    );
    // For Try Again after a wrong passphrase; the name sorts near the top of the Explorer, in view.
    // A low scrypt work factor (the engine's encryptor), so the two decrypts take well under a second.
    const againBytes = Buffer.concat([Buffer.from('second try\n'), randomBytes(3000)]);
    contents.set('again.txt', againBytes);
    writeWorkspaceFile(
      'again.txt.age',
      encryptBytes(againBytes, { passphrase: PASSPHRASES.again, workFactor: 10 }),
    );
    // A file for an X25519 identity, made by the reference tools; the key file is imported through the UI.
    execFileSync('age-keygen', ['-o', join(folders.runDir, 'key.txt')], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', join(folders.runDir, 'key.txt')], {
      encoding: 'utf8',
    }).trim();
    const forMe = Buffer.concat([Buffer.from('for my key only\n'), randomBytes(3000)]);
    contents.set('for-me.txt', forMe);
    execFileSync('age', ['-r', recipient, '-o', workspacePath('for-me.txt.age')], { input: forMe });
    // A batch to decrypt: one file for key.txt, two for a key the editor is not given until a
    // failed decrypt offers Import Identity File….
    execFileSync('age-keygen', ['-o', join(folders.runDir, 'batch-key.txt')], { stdio: 'ignore' });
    const batchRecipient = execFileSync('age-keygen', ['-y', join(folders.runDir, 'batch-key.txt')], {
      encoding: 'utf8',
    }).trim();
    for (const [name, to] of [
      ['batch-1.txt', batchRecipient],
      ['batch-2.txt', recipient],
      ['batch-3.txt', batchRecipient],
    ]) {
      const bytes = Buffer.concat([Buffer.from(`${name}\n`), randomBytes(2000)]);
      contents.set(name, bytes);
      execFileSync('age', ['-r', to, '-o', workspacePath(`${name}.age`)], { input: bytes });
    }
    writeNamedRandomFiles(
      [
        'prio-1.txt',
        'prio-2.txt',
        'prio-3.txt',
        'prio-4.txt',
        'reveal.txt',
        'remember-1.txt',
        'remember-2.txt',
        'remember-3.txt',
      ],
      2000,
    );
    writeWorkspaceFile('bad.gz', randomBytes(500));
    writeWorkspaceFile('has-output.txt', Buffer.from('has an output already\n'));
    writeWorkspaceFile('has-output.txt.age', Buffer.from('an older output, kept\n'));
    writeWorkspaceFile('has-folder.txt', Buffer.from('its output name is a folder\n'));
    mkdirSync(workspacePath('has-folder.txt.age'));
    writeWorkspaceFile('has-folder.txt.age/kept.txt', Buffer.from('inside the folder\n'));
    writeWorkspaceFile(
      'not-age.age',
      Buffer.concat([Buffer.from('just text, named .age\n'), randomBytes(300)]),
    );
    // For the notification buttons, the welcome view's link, the badge and the daemon's queue.
    const openSource = join(folders.runDir, 'open-me.txt');
    const openBytes = Buffer.from(`open me ${randomBytes(8).toString('hex')}\nsecond line\n`);
    writeFileSync(openSource, openBytes);
    contents.set('open-me.txt', openBytes);
    assert.equal(
      ageEncryptWithPassphrase(openSource, workspacePath('open-me.txt.age'), PASSPHRASES.open).status,
      0,
    );
    writeNamedRandomFiles(
      [
        'open-encrypt.txt',
        'notify-reveal.txt',
        'welcome.txt',
        'daemon-1.txt',
        'daemon-2.txt',
        'daemon-3.txt',
      ],
      3000,
    );
    writeWorkspaceFile('show-log.gz', randomBytes(700));
    writeWorkspaceFile('unsaved.txt', Buffer.from('the saved text, on disk\n'));
    // A sparse 16 GiB file: hashing or compressing it keeps the single worker busy for many seconds.
    writeFileSync(workspacePath('big.bin'), '');
    truncateSync(workspacePath('big.bin'), 16 * 1024 ** 3);

    server = await startCodeServer(folders, join(folders.runDir, 'code-server.log'));
    workbench = await openWorkbench({
      url: server.url,
      folder: folders.workspace,
      profileDir: folders.browserProfile,
      xdgConfig: folders.xdgConfig,
      screenshotDir: join(outputDir, 'screenshots'),
    });
    await workbench.waitForExplorerRow('hello.txt');
    await workbench.screenshot('workbench-open');
  });

  after(async () => {
    await workbench?.context.close().catch(() => undefined);
    await server?.stop();
    // The daemon is detached (it outlives the editor by design): stop it by its pid.
    if (daemonPid !== undefined) {
      try {
        process.kill(daemonPid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  });

  it('encrypts a file from the Explorer context menu; the age CLI decrypts it to the original bytes', async () => {
    await workbench.runContextMenu(workbench.explorerRow('hello.txt').first(), ['KWQM', 'Encrypt File']);
    await workbench.answerPassword('Passphrase for the age file', PASSPHRASES.hello);
    await workbench.screenshot('encrypt-passphrase-confirm');
    await workbench.answerPassword('Type the passphrase again', PASSPHRASES.hello);
    await workbench.waitForToast('Encrypted hello.txt → hello.txt.age');
    await workbench.screenshot('encrypt-notification');
    assert.ok(existsSync(workspacePath('hello.txt.age')));
    // The default work factor (18), as age writes it.
    assert.match(
      readFileSync(workspacePath('hello.txt.age'), 'latin1'),
      /^age-encryption\.org\/v1\n-> scrypt \S+ 18\n/,
    );
    assert.deepEqual(decryptWithAge('hello.txt.age', PASSPHRASES.hello), contents.get('hello.txt'));
    await workbench.waitForExplorerRow('hello.txt.age');
    await workbench.clearToasts();
  });

  it('decrypts a file the age CLI encrypted (Decrypt File round trip)', async () => {
    await workbench.runContextMenu(workbench.explorerRow('secret.txt.age').first(), ['KWQM', 'Decrypt File']);
    await workbench.answerPassword('Passphrase of the age file', PASSPHRASES.secret);
    await workbench.waitForToast('Decrypted secret.txt.age → secret.txt');
    await workbench.screenshot('decrypt-notification');
    assert.deepEqual(readFileSync(workspacePath('secret.txt')), contents.get('secret.txt'));
    await workbench.clearToasts();
  });

  it('encrypts a multi-selection of three files with one passphrase; the batch ends in one notification', async () => {
    const names = ['multi-a.bin', 'multi-b.bin', 'multi-c.bin'];
    await workbench.selectInExplorer(names);
    await workbench.runContextMenu(workbench.explorerRow('multi-b.bin').first(), ['KWQM', 'Encrypt File']);
    // One passphrase for the batch; the box says which files it is for.
    const title = workbench.page
      .locator('.quick-input-widget .quick-input-title')
      .filter({ hasText: /^KWQM: Encrypt 3 files: / });
    await title.waitFor({ state: 'visible', timeout: 15_000 });
    assert.deepEqual(
      (await title.textContent()).replace('KWQM: Encrypt 3 files: ', '').split(', ').sort(),
      names,
    );
    await workbench.answerPassword('Passphrase for the age file', PASSPHRASES.multi);
    await workbench.answerPassword('Type the passphrase again', PASSPHRASES.multi);
    // One summary once the last file has ended, instead of one notification per file.
    const summary = await workbench.waitForToast('Encrypted 3 files');
    await summary.getByRole('button', { name: 'Show Log', exact: true }).waitFor();
    await workbench.screenshot('multi-select-notification');
    await waitForLog(/encrypt batch of 3 files ended: 3 succeeded, 0 failed, 0 canceled, 0 removed/);
    assert.equal(await kwqmToasts().count(), 1);
    for (const name of names)
      assert.deepEqual(decryptWithAge(`${name}.age`, PASSPHRASES.multi), contents.get(name));
    await workbench.clearToasts();
  });

  it('shows a queued job behind a slow one and removes it from the queue view; its output never appears', async () => {
    try {
      await workbench.runContextMenu(workbench.explorerRow('big.bin').first(), [
        'KWQM',
        'Hash File (SHA-256)',
      ]);
      await workbench.runCommand('KWQM: Show Queue');
      const running = workbench.queueRow('big.bin');
      await running.first().waitFor({ state: 'visible', timeout: 30_000 });
      await workbench.runContextMenu(workbench.explorerRow('queued.txt').first(), ['KWQM', 'Encrypt File']);
      await workbench.answerPassword('Passphrase for the age file', PASSPHRASES.queued);
      await workbench.answerPassword('Type the passphrase again', PASSPHRASES.queued);
      const queued = workbench.queueRow('queued.txt');
      await queued
        .filter({ hasText: 'encrypt · medium' })
        .first()
        .waitFor({ state: 'visible', timeout: 15_000 });
      assert.match(await running.first().textContent(), /hash · (starting|\d+%)/);
      await workbench.screenshot('queue-view-running-and-queued');

      // Change Priority… from the row's context menu moves it to the high level.
      await workbench.pickQuickItemFrom(
        () => workbench.runContextMenu(queued.first(), ['Change Priority…']),
        'high',
      );
      await queued
        .filter({ hasText: 'encrypt · high' })
        .first()
        .waitFor({ state: 'visible', timeout: 15_000 });

      await workbench.runContextMenu(queued.first(), ['Remove from Queue']);
      await queued.filter({ hasText: 'removed' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await workbench.screenshot('queue-view-removed');

      // Stop the slow job too (the running row's Cancel Job action), then make sure nothing ran.
      await workbench.runContextMenu(running.first(), ['Cancel Job']);
      await running.filter({ hasText: 'canceled' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await workbench.screenshot('queue-view-canceled');
      await pause(1000);
      assert.equal(existsSync(workspacePath('queued.txt.age')), false);
      assert.deepEqual(
        readdirSync(folders.workspace).filter(
          (name) => name.startsWith('queued.txt') || name.startsWith('big.bin'),
        ),
        ['big.bin', 'queued.txt'],
      );
    } finally {
      await stopSlowJob();
    }
  });

  it('reports a wrong passphrase on decrypt and leaves no output', async () => {
    const before = readdirSync(folders.workspace).sort();
    await workbench.runContextMenu(workbench.explorerRow('wrong.txt.age').first(), ['KWQM', 'Decrypt File']);
    await workbench.answerPassword('Passphrase of the age file', PASSPHRASES.wrong);
    const toast = await workbench.waitForToast('Could not decrypt wrong.txt.age');
    assert.match(await toast.textContent(), /AGE_WRONG_PASSPHRASE/);
    assert.match(await toast.textContent(), /Show Log/);
    await workbench.screenshot('wrong-passphrase-error');
    assert.equal(existsSync(workspacePath('wrong.txt')), false);
    assert.deepEqual(readdirSync(folders.workspace).sort(), before);
    await workbench.clearToasts();
  });

  it('Try Again on a wrong-passphrase error asks the passphrase again and decrypts the file', async () => {
    await workbench.runContextMenu(workbench.explorerRow('again.txt.age').first(), ['KWQM', 'Decrypt File']);
    await workbench.answerPassword('Passphrase of the age file', PASSPHRASES.wrong);
    const toast = await workbench.waitForToast('Could not decrypt again.txt.age');
    assert.match(await toast.textContent(), /AGE_WRONG_PASSPHRASE/);
    await toast.getByRole('button', { name: 'Try Again', exact: true }).click();
    await workbench.answerPassword('Passphrase of the age file', PASSPHRASES.again);
    await workbench.waitForToast('Decrypted again.txt.age → again.txt');
    await workbench.screenshot('try-again-decrypted');
    assert.deepEqual(readFileSync(workspacePath('again.txt')), contents.get('again.txt'));
    await waitForLog(/decrypt: running 1 file\(s\) again with a passphrase asked again/);
    await workbench.clearToasts();
    for (const name of ['again.txt', 'again.txt.age']) rmSync(workspacePath(name));
    for (const name of ['again.txt', 'again.txt.age'])
      await workbench.waitForExplorerRow(name, { present: false });
  });

  it('Decrypt File on a file that is not an age file says so without asking for a passphrase', async () => {
    const before = readdirSync(folders.workspace).sort();
    await workbench.runContextMenu(workbench.explorerRow('not-age.age').first(), ['KWQM', 'Decrypt File']);
    await workbench.waitForToast('nothing to decrypt: not-age.age is not an age file');
    await workbench.screenshot('not-age-warning');
    assert.equal(
      await workbench.page.locator('.quick-input-widget input[type="password"]').isVisible(),
      false,
    );
    assert.deepEqual(readdirSync(folders.workspace).sort(), before);
    await workbench.clearToasts();
  });

  it('Encrypt File asks about an existing output before any passphrase; Skip asks nothing more and queues nothing', async () => {
    await workbench.runContextMenu(workbench.explorerRow('has-output.txt').first(), ['KWQM', 'Encrypt File']);
    await workbench.screenshot('existing-output-question');
    await workbench.answerDialog('has-output.txt.age already exists', 'Skip');
    await waitForLog(/encrypt: every file was skipped \(its output exists\); nothing queued/);
    assert.equal(
      await workbench.page.locator('.quick-input-widget input[type="password"]').isVisible(),
      false,
    );
    assert.deepEqual(workspaceEntries('has-output'), ['has-output.txt', 'has-output.txt.age']);
    assert.deepEqual(readFileSync(workspacePath('has-output.txt.age')), contents.get('has-output.txt.age'));
  });

  it('Encrypt File on a file whose output name is a folder says so; nothing is asked or queued', async () => {
    await workbench.runContextMenu(workbench.explorerRow('has-folder.txt').first(), ['KWQM', 'Encrypt File']);
    await workbench.waitForToast('cannot encrypt has-folder.txt: has-folder.txt.age is a folder');
    await waitForLog(
      /skipped "[^"]*\/has-folder\.txt": its output "[^"]*\/has-folder\.txt\.age" is a folder/,
    );
    assert.equal(await workbench.page.locator('.monaco-dialog-box').isVisible(), false);
    assert.equal(
      await workbench.page.locator('.quick-input-widget input[type="password"]').isVisible(),
      false,
    );
    assert.deepEqual(workspaceEntries('has-folder'), ['has-folder.txt', 'has-folder.txt.age']);
    assert.deepEqual(readdirSync(workspacePath('has-folder.txt.age')), ['kept.txt']);
    await workbench.clearToasts();
  });

  it('compresses and decompresses through the queue, asking before it replaces a file', async () => {
    await workbench.runContextMenu(workbench.explorerRow('hello.txt').first(), ['KWQM', 'Compress File']);
    await workbench.waitForToast('Compressed hello.txt → hello.txt.gz');
    // The reference gzip reads it back to the original bytes.
    assert.deepEqual(execFileSync('gzip', ['-dc', workspacePath('hello.txt.gz')]), contents.get('hello.txt'));
    writeFileSync(workspacePath('hello.txt'), 'to be replaced\n');
    await workbench.runContextMenu(workbench.explorerRow('hello.txt.gz').first(), [
      'KWQM',
      'Decompress File',
    ]);
    await workbench.screenshot('overwrite-question');
    await workbench.answerDialog('hello.txt already exists. Replace it?', 'Replace');
    await workbench.waitForToast('Decompressed hello.txt.gz → hello.txt');
    assert.deepEqual(readFileSync(workspacePath('hello.txt')), contents.get('hello.txt'));
    await workbench.clearToasts();
  });

  it('imports an identity file into the secret store and decrypts a file encrypted to its public key', async () => {
    await workbench.runCommand('KWQM: Import Identity File…');
    await workbench.answerFileDialog(join(folders.runDir, 'key.txt'));
    await workbench.waitForToast('1 new identity stored');
    await workbench.clearToasts();
    await workbench.runContextMenu(workbench.explorerRow('for-me.txt.age').first(), ['KWQM', 'Decrypt File']);
    // No passphrase prompt: the header names an X25519 recipient and the stored identity opens it.
    await workbench.waitForToast('Decrypted for-me.txt.age → for-me.txt');
    await workbench.screenshot('identity-decrypt-notification');
    assert.deepEqual(readFileSync(workspacePath('for-me.txt')), contents.get('for-me.txt'));
    await workbench.clearToasts();
  });

  it('a batch decrypt that no stored identity opens in part ends in one summary naming the failed files; its Import Identity File… decrypts them', async () => {
    const names = ['batch-1.txt.age', 'batch-2.txt.age', 'batch-3.txt.age'];
    await workbench.selectInExplorer(names);
    await workbench.runContextMenu(workbench.explorerRow('batch-2.txt.age').first(), [
      'KWQM',
      'Decrypt File',
    ]);
    // key.txt (imported above) opens batch-2 only.
    const summary = await workbench.waitForToast('Decrypted 1 of 3 files; 2 failed');
    const text = await summary.textContent();
    assert.match(text, /\(AGE_NO_MATCHING_IDENTITY\): batch-1\.txt\.age, batch-3\.txt\.age/);
    for (const button of ['Import Identity File…', 'Show Queue', 'Show Log'])
      await summary.getByRole('button', { name: button, exact: true }).waitFor();
    await workbench.screenshot('batch-decrypt-summary');
    assert.equal(await kwqmToasts().count(), 1);
    await waitForLog(
      /decrypt batch of 3 files ended: 1 succeeded, 2 failed, 0 canceled, 0 removed; failed: "[^"]*\/batch-1\.txt\.age" \S+ AGE_NO_MATCHING_IDENTITY, "[^"]*\/batch-3\.txt\.age" \S+ AGE_NO_MATCHING_IDENTITY/,
    );
    assert.deepEqual(readFileSync(workspacePath('batch-2.txt')), contents.get('batch-2.txt'));
    assert.deepEqual(workspaceEntries('batch-1'), ['batch-1.txt.age']);

    // Import the missing key from the summary: the two failed files are decrypted again, by themselves.
    await summary.getByRole('button', { name: 'Import Identity File…', exact: true }).click();
    await workbench.answerFileDialog(join(folders.runDir, 'batch-key.txt'));
    await workbench.waitForToast('1 new identity stored');
    await workbench.waitForToast('Decrypted 2 files');
    await workbench.screenshot('batch-decrypt-retried');
    for (const name of ['batch-1.txt', 'batch-3.txt'])
      assert.deepEqual(readFileSync(workspacePath(name)), contents.get(name));
    await waitForLog(/decrypt batch of 2 files ended: 2 succeeded, 0 failed/);
    await workbench.clearToasts();
    // Out of the Explorer again: it shows only the rows that fit above the queue view, and later
    // tests click files further down the list.
    for (const name of ['batch-1.txt', 'batch-2.txt', 'batch-3.txt']) {
      rmSync(workspacePath(name));
      rmSync(workspacePath(`${name}.age`));
    }
    for (const name of ['batch-1.txt', 'batch-2.txt', 'batch-3.txt'])
      await workbench.waitForExplorerRow(`${name}.age`, { present: false });
  });

  it('Run with Priority… queues at the picked level; Cancel Job on the running row leaves no output and no temp file', async () => {
    try {
      await prepareQueueView();
      // The welcome view shows while the queue view is empty.
      await workbench
        .viewPane('KWQM Queue')
        .getByText('No jobs in the queue.')
        .waitFor({ state: 'visible', timeout: 15_000 });
      await workbench.screenshot('queue-welcome-view');
      await workbench.pickQuickItemFrom(
        () =>
          workbench.runContextMenu(workbench.explorerRow('big.bin').first(), ['KWQM', 'Run with Priority…']),
        'Compress',
      );
      await workbench.screenshot('run-with-priority-pick');
      await workbench.pickQuickItem('high');
      const running = workbench.queueRow('big.bin').filter({ hasText: /compress · (starting|\d+%)/ });
      await running.first().waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await workbench.queueGroupOf('big.bin'), 'Running (1)');
      const queuedLine = await waitForLog(/queued (\S+) compress priority=high input="[^"]*\/big\.bin"/);
      const jobId = queuedLine[1];
      await workbench
        .statusBarItem()
        .filter({ hasText: 'KWQM 1 running · 0 queued' })
        .waitFor({ timeout: 10_000 });
      // The partial output exists while the job runs, so its absence afterwards means something.
      await waitFor(
        () => workspaceEntries('big.bin').some((name) => name !== 'big.bin'),
        'a partial output appears',
      );
      await workbench.screenshot('cancel-running-job');
      await workbench.clickInlineAction(running.first(), 'Cancel Job');
      await workbench.waitForQueueRow('big.bin', 'compress · canceled', 30_000);
      await workbench.screenshot('canceled-running-job');
      assert.match(
        readFileSync(kwqmLog(), 'utf8'),
        new RegExp(`\\] canceled ${jobId} compress .*error=CANCELED`),
      );
      assert.deepEqual(workspaceEntries('big.bin'), ['big.bin']);
      // Idle again: the status bar item hides.
      await workbench.statusBarItem().waitFor({ state: 'detached', timeout: 10_000 });
    } finally {
      await stopSlowJob();
    }
  });

  it('Change Priority… on a queued row moves it to the high level, behind an Encrypt File (High Priority) job; they run first', async () => {
    try {
      await prepareQueueView();
      await workbench.runContextMenu(workbench.explorerRow('big.bin').first(), ['KWQM', 'Compress File']);
      const slow = workbench.queueRow('big.bin').filter({ hasText: /compress · (starting|\d+%)/ });
      await slow.first().waitFor({ state: 'visible', timeout: 30_000 });
      await workbench.selectInExplorer(['prio-1.txt', 'prio-2.txt', 'prio-3.txt']);
      await workbench.runContextMenu(workbench.explorerRow('prio-2.txt').first(), ['KWQM', 'Compress File']);
      await workbench.runContextMenu(workbench.explorerRow('prio-4.txt').first(), [
        'KWQM',
        'Encrypt File (High Priority)',
      ]);
      await workbench.answerPassword('Passphrase for the age file', PASSPHRASES.high);
      await workbench.answerPassword('Type the passphrase again', PASSPHRASES.high);
      await workbench.waitForQueueRow('prio-4.txt', 'encrypt · high');
      await workbench.waitForQueueRow('prio-3.txt', 'compress · medium');
      await workbench
        .statusBarItem()
        .filter({ hasText: 'KWQM 1 running · 4 queued' })
        .waitFor({ timeout: 10_000 });
      assert.deepEqual(await queuedRows(), [
        'Queued — high priority (1)',
        'prio-4.txt encrypt · high',
        'Queued — medium priority (3)',
        'prio-1.txt compress · medium',
        'prio-2.txt compress · medium',
        'prio-3.txt compress · medium',
      ]);
      await workbench.screenshot('change-priority-before');

      await workbench.clickInlineAction(workbench.queueRow('prio-3.txt').first(), 'Change Priority…');
      // The quick pick marks the job's current level.
      await workbench.page
        .locator('.quick-input-widget .monaco-list-row')
        .filter({ has: workbench.page.locator('.label-name', { hasText: /^medium$/ }) })
        .filter({ hasText: 'current' })
        .waitFor({ timeout: 15_000 });
      await workbench.pickQuickItem('high');
      await workbench.waitForQueueRow('prio-3.txt', 'compress · high');
      // A moved job joins the tail of its new level, as the queue dispatches it.
      assert.deepEqual(await queuedRows(), [
        'Queued — high priority (2)',
        'prio-4.txt encrypt · high',
        'prio-3.txt compress · high',
        'Queued — medium priority (2)',
        'prio-1.txt compress · medium',
        'prio-2.txt compress · medium',
      ]);
      await workbench.screenshot('change-priority-after');

      // The slow job ends (canceled); the queue then runs the high level first.
      await workbench.clickInlineAction(slow.first(), 'Cancel Job');
      // Four jobs end at once; VS Code shows only three toasts at a time, so the rows tell.
      for (const name of ['prio-4.txt', 'prio-3.txt', 'prio-1.txt', 'prio-2.txt'])
        await workbench.waitForQueueRow(name, /(encrypt|compress) · done/, 60_000);
      await workbench.screenshot('change-priority-finished');
      const started = [
        ...readFileSync(kwqmLog(), 'utf8').matchAll(
          /\] started \S+ \w+ priority=\w+ input="[^"]*\/(prio-\d\.txt)"/g,
        ),
      ].map((match) => match[1]);
      assert.deepEqual(started, ['prio-4.txt', 'prio-3.txt', 'prio-1.txt', 'prio-2.txt']);
      assert.match(
        readFileSync(kwqmLog(), 'utf8'),
        /\] priority-changed \S+ compress priority=high input="[^"]*\/prio-3\.txt" from=medium/,
      );
      for (const name of ['prio-1.txt', 'prio-2.txt', 'prio-3.txt'])
        assert.deepEqual(execFileSync('gzip', ['-dc', workspacePath(`${name}.gz`)]), contents.get(name));
      assert.deepEqual(decryptWithAge('prio-4.txt.age', PASSPHRASES.high), contents.get('prio-4.txt'));
      assert.deepEqual(workspaceEntries('big.bin'), ['big.bin']);
      await workbench.clearToasts();
    } finally {
      await stopSlowJob();
    }
  });

  it('Show Error on a failed row shows the reason; Reveal Output on a finished row selects the output in the Explorer', async () => {
    await prepareQueueView();
    await workbench.runContextMenu(workbench.explorerRow('bad.gz').first(), ['KWQM', 'Decompress File']);
    const failed = workbench.queueRow('bad.gz').filter({ hasText: /decompress · failed: [A-Z_]+/ });
    await failed.first().waitFor({ state: 'visible', timeout: 30_000 });
    const code = /failed: ([A-Z_]+)/.exec(await failed.first().textContent())[1];
    await workbench.waitForToast('Could not decompress bad.gz');
    await workbench.clearToasts();
    await workbench.clickInlineAction(failed.first(), 'Show Error');
    const error = await workbench.waitForToast('bad.gz: ');
    assert.match(await error.textContent(), new RegExp(`\\(${code}\\)`));
    assert.match(await error.textContent(), /Show Log/);
    await workbench.screenshot('show-error');
    await workbench.clearToasts();
    assert.equal(existsSync(workspacePath('bad')), false);

    await workbench.runContextMenu(workbench.explorerRow('reveal.txt').first(), ['KWQM', 'Compress File']);
    await workbench.waitForToast('Compressed reveal.txt → reveal.txt.gz');
    await workbench.clearToasts();
    await workbench.waitForExplorerRow('reveal.txt.gz');
    // Something else selected first, so the selection afterwards is the action's doing.
    await selectOtherExplorerRow('reveal.txt');
    assert.equal(await workbench.explorerRow('reveal.txt.gz').first().getAttribute('aria-selected'), 'false');
    await workbench.clickInlineAction(
      workbench.queueRow('reveal.txt').filter({ hasText: 'compress · done' }).first(),
      'Reveal Output in Explorer',
    );
    await waitFor(
      async () =>
        (await workbench.explorerRow('reveal.txt.gz').first().getAttribute('aria-selected')) === 'true',
      'reveal.txt.gz is selected in the Explorer',
    );
    await workbench.screenshot('reveal-output');
  });

  it('Open on a Decrypt File notification opens the output in an editor; an encrypted (binary) output gets no Open; Reveal in Explorer selects it', async () => {
    await workbench.runCommand('View: Close All Editors');
    await waitFor(async () => (await workbench.activeEditorName()) === undefined, 'no editor is open');
    await workbench.runContextMenu(workbench.explorerRow('open-me.txt.age').first(), [
      'KWQM',
      'Decrypt File',
    ]);
    await workbench.answerPassword('Passphrase of the age file', PASSPHRASES.open);
    const decrypted = await workbench.waitForToast('Decrypted open-me.txt.age → open-me.txt');
    await workbench.screenshot('decrypt-notification-before-open');
    await decrypted.getByRole('button', { name: 'Open', exact: true }).click();
    await waitFor(
      async () => (await workbench.activeEditorName()) === 'open-me.txt',
      'open-me.txt is the active editor',
    );
    const firstLine = contents.get('open-me.txt').toString('utf8').split('\n')[0];
    await waitFor(
      async () => (await workbench.activeEditorText()).includes(firstLine),
      'the editor shows the decrypted text',
    );
    await workbench.screenshot('decrypt-notification-opened');
    assert.deepEqual(readFileSync(workspacePath('open-me.txt')), contents.get('open-me.txt'));
    await workbench.clearToasts();

    await workbench.runContextMenu(workbench.explorerRow('open-encrypt.txt').first(), [
      'KWQM',
      'Encrypt File',
    ]);
    await workbench.answerPassword('Passphrase for the age file', PASSPHRASES.openEncrypt);
    await workbench.answerPassword('Type the passphrase again', PASSPHRASES.openEncrypt);
    const encrypted = await workbench.waitForToast('Encrypted open-encrypt.txt → open-encrypt.txt.age');
    // A binary .age file would only get VS Code's "binary file" page: Reveal in Explorer, no Open.
    await encrypted.getByRole('button', { name: 'Reveal in Explorer', exact: true }).waitFor();
    assert.equal(await encrypted.getByRole('button', { name: 'Open', exact: true }).count(), 0);
    await workbench.screenshot('encrypt-notification-no-open');
    assert.deepEqual(
      decryptWithAge('open-encrypt.txt.age', PASSPHRASES.openEncrypt),
      contents.get('open-encrypt.txt'),
    );
    await workbench.clearToasts();
    await workbench.runCommand('View: Close All Editors');

    await workbench.runContextMenu(workbench.explorerRow('notify-reveal.txt').first(), [
      'KWQM',
      'Compress File',
    ]);
    const compressed = await workbench.waitForToast('Compressed notify-reveal.txt → notify-reveal.txt.gz');
    await workbench.waitForExplorerRow('notify-reveal.txt.gz');
    // Something else selected first, so the selection afterwards is the button's doing.
    await selectOtherExplorerRow('notify-reveal.txt');
    assert.equal(
      await workbench.explorerRow('notify-reveal.txt.gz').first().getAttribute('aria-selected'),
      'false',
    );
    await compressed.getByRole('button', { name: 'Reveal in Explorer', exact: true }).click();
    await waitFor(
      async () =>
        (await workbench.explorerRow('notify-reveal.txt.gz').first().getAttribute('aria-selected')) ===
        'true',
      'notify-reveal.txt.gz is selected in the Explorer',
    );
    await workbench.screenshot('notification-reveal-in-explorer');
    await workbench.clearToasts();
  });

  it('Copy Hash on a Hash File notification puts the digest sha256sum prints on the clipboard', async () => {
    const expected = execFileSync('sha256sum', [workspacePath('multi-b.bin')], { encoding: 'utf8' }).split(
      ' ',
    )[0];
    // Something else on the clipboard first, so the digest there afterwards is the button's doing.
    await workbench.writeClipboard('not the digest');
    assert.equal(await workbench.readClipboard(), 'not the digest');
    await workbench.runContextMenu(workbench.explorerRow('multi-b.bin').first(), [
      'KWQM',
      'Hash File (SHA-256)',
    ]);
    const toast = await workbench.waitForToast('SHA256 of multi-b.bin: ');
    assert.match(await toast.textContent(), new RegExp(`SHA256 of multi-b\\.bin: ${expected}`));
    await workbench.screenshot('hash-notification-copy');
    await toast.getByRole('button', { name: 'Copy Hash', exact: true }).click();
    await waitFor(
      async () => (await workbench.readClipboard()) === expected,
      'the clipboard holds the sha256sum digest',
      15_000,
    );
    await workbench.clearToasts();
  });

  it('changing kwqm.workers replaces the idle queue; the Finished rows stay in the queue view', async () => {
    await prepareQueueView();
    const reopens = () =>
      (readFileSync(kwqmLog(), 'utf8').match(/queue settings changed; the queue reopens on next use/g) ?? [])
        .length;
    await workbench.runContextMenu(workbench.explorerRow('multi-a.bin').first(), [
      'KWQM',
      'Hash File (SHA-256)',
    ]);
    await workbench.waitForToast('SHA256 of multi-a.bin');
    await workbench.waitForQueueRow('multi-a.bin', 'hash · done');
    const before = reopens();
    try {
      await setUserSetting('kwqm.workers', 2);
      await waitFor(() => reopens() > before, 'the queue was replaced');
      // The next job opens a queue of 2 workers; its listing used to replace every row.
      await workbench.runContextMenu(workbench.explorerRow('multi-c.bin').first(), [
        'KWQM',
        'Hash File (SHA-256)',
      ]);
      await workbench.waitForQueueRow('multi-c.bin', 'hash · done');
      await waitForLog(/queue runs in the editor: 2 worker thread\(s\)/);
      // The group rows catch up with the job rows a moment later (seen once: 'Running (1)' above two done rows).
      const expected = ['Finished (2)', 'multi-c.bin hash · done', 'multi-a.bin hash · done'];
      let shown = [];
      await waitFor(
        async () => {
          shown = (await workbench.queueTree()).map((row) => row.text);
          return JSON.stringify(shown) === JSON.stringify(expected);
        },
        `the queue view shows ${expected.join(', ')} (last seen: ${shown.join(', ')})`,
        10_000,
      ).catch(() => undefined);
      assert.deepEqual(shown, expected);
      await workbench.screenshot('finished-rows-kept-after-settings-change');
    } finally {
      const settled = reopens();
      await setUserSetting('kwqm.workers', 1);
      await waitFor(() => reopens() > settled, 'the queue was replaced again');
      await workbench.clearToasts();
    }
  });

  it('Show Log on a failed job notification shows the KWQM output channel with the job lines', async () => {
    if (await workbench.page.locator('.part.panel').isVisible())
      await workbench.runCommand('View: Hide Panel');
    await workbench.runContextMenu(workbench.explorerRow('show-log.gz').first(), ['KWQM', 'Decompress File']);
    const toast = await workbench.waitForToast('Could not decompress show-log.gz');
    const failed = await waitForLog(/\] failed (\S+) decompress priority=\w+ input="[^"]*\/show-log\.gz"/);
    const jobId = failed[1];
    // Nothing shows the log yet: what appears next is the button's doing.
    assert.equal((await workbench.outputViewText()).includes(jobId), false);
    await toast.getByRole('button', { name: 'Show Log', exact: true }).click();
    await waitFor(
      async () => (await workbench.outputViewText()).includes(`failed ${jobId} decompress`),
      'the Output view shows the failed line of the job',
    );
    const shown = await workbench.outputViewText();
    assert.match(shown, new RegExp(`queued ${jobId} decompress`));
    assert.match(shown, new RegExp(`started ${jobId} decompress`));
    assert.match(shown, new RegExp(`failed ${jobId} decompress .*error=CORRUPT_INPUT`));
    await workbench.screenshot('show-log-output-channel');
    assert.deepEqual(workspaceEntries('show-log'), ['show-log.gz']);
    await workbench.clearToasts();
    await workbench.runCommand('View: Hide Panel');
  });

  it('the welcome view link Encrypt a File… asks for a file and encrypts it', async () => {
    await workbench.runCommand('View: Close All Editors');
    await waitFor(async () => (await workbench.activeEditorName()) === undefined, 'no editor is open');
    await prepareQueueView();
    const link = workbench
      .viewPane('KWQM Queue')
      .getByRole('button', { name: 'Encrypt a File…', exact: true });
    await link.waitFor({ state: 'visible', timeout: 15_000 });
    await workbench.screenshot('welcome-view-link');
    await link.click();
    // From the welcome view there is no clicked file and no editor: the open dialog asks.
    await workbench.answerFileDialog(workspacePath('welcome.txt'));
    // The password box names the file it is for (nobody clicked one).
    await workbench.page
      .locator('.quick-input-widget .quick-input-title')
      .filter({ hasText: /^KWQM: Encrypt welcome\.txt$/ })
      .waitFor({ state: 'visible', timeout: 15_000 });
    await workbench.screenshot('welcome-view-link-passphrase');
    await workbench.answerPassword('Passphrase for the age file', PASSPHRASES.welcome);
    await workbench.answerPassword('Type the passphrase again', PASSPHRASES.welcome);
    await workbench.waitForToast('Encrypted welcome.txt → welcome.txt.age');
    await workbench.screenshot('welcome-view-link-encrypted');
    assert.deepEqual(decryptWithAge('welcome.txt.age', PASSPHRASES.welcome), contents.get('welcome.txt'));
    await workbench.clearToasts();
  });

  it('the queue view badge counts the running and queued jobs and clears when they end; a hash batch ends in one notification whose Copy Hashes gives what sha256sum -c checks', async () => {
    try {
      await prepareQueueView();
      const badge = workbench.activityBadge('Explorer');
      await badge.filter({ visible: true }).waitFor({ state: 'detached', timeout: 10_000 });
      await workbench.runContextMenu(workbench.explorerRow('big.bin').first(), [
        'KWQM',
        'Hash File (SHA-256)',
      ]);
      const slow = workbench.queueRow('big.bin').filter({ hasText: /hash · (starting|\d+%)/ });
      await slow.first().waitFor({ state: 'visible', timeout: 30_000 });
      await badge.filter({ visible: true, hasText: /^1$/ }).waitFor({ timeout: 10_000 });
      await workbench.selectInExplorer(['queued.txt', 'reveal.txt']);
      await workbench.runContextMenu(workbench.explorerRow('reveal.txt').first(), [
        'KWQM',
        'Hash File (SHA-256)',
      ]);
      await badge.filter({ visible: true, hasText: /^3$/ }).waitFor({ timeout: 10_000 });
      for (const name of ['queued.txt', 'reveal.txt'])
        await workbench.waitForQueueRow(name, 'hash · medium', 10_000);
      await workbench
        .statusBarItem()
        .filter({ hasText: 'KWQM 1 running · 2 queued' })
        .waitFor({ timeout: 10_000 });
      await workbench.screenshot('queue-badge-3');
      await workbench.clickInlineAction(slow.first(), 'Cancel Job');
      for (const name of ['queued.txt', 'reveal.txt'])
        await workbench.waitForQueueRow(name, 'hash · done', 30_000);
      await badge.filter({ visible: true }).waitFor({ state: 'detached', timeout: 10_000 });
      await workbench.screenshot('queue-badge-cleared');
      const summary = await workbench.waitForToast('Hashed 2 files');
      assert.equal(await kwqmToasts().count(), 1);
      await workbench.writeClipboard('not the digests');
      await summary.getByRole('button', { name: 'Copy Hashes', exact: true }).click();
      let copied = '';
      await waitFor(
        async () => {
          copied = await workbench.readClipboard();
          return copied !== 'not the digests';
        },
        'Copy Hashes replaced the clipboard',
        15_000,
      );
      // sha256sum's own lines, workspace-relative: sha256sum -c checks them from the workspace folder.
      const expected = ['queued.txt', 'reveal.txt'].map(
        (name) =>
          execFileSync('sha256sum', [name], { cwd: folders.workspace, encoding: 'utf8' }).split('\n')[0],
      );
      assert.deepEqual(
        copied
          .split('\n')
          .filter((line) => line !== '')
          .sort(),
        expected.sort(),
      );
      assert.doesNotThrow(() =>
        execFileSync('sha256sum', ['-c', '-'], { cwd: folders.workspace, input: copied }),
      );
      await workbench.clearToasts();
    } finally {
      await stopSlowJob();
    }
  });

  it('Generate Identity stores a key whose public half the age CLI encrypts to; Decrypt File needs no prompt until Forget Stored Secrets, then offers Import Identity File… and goes on with the imported key', async () => {
    await workbench.runCommand('KWQM: Generate Identity and Copy Public Key');
    const toast = await workbench.waitForToast('new identity stored');
    await workbench.screenshot('generate-identity');
    // The key as the notification shows it; the log and the clipboard must name the same one.
    const recipient = /Public key copied: (age1[02-9ac-hj-np-z]{58})\b/.exec(await toast.textContent())?.[1];
    assert.ok(recipient, 'the notification shows the public key');
    assert.match(
      readFileSync(kwqmLog(), 'utf8'),
      new RegExp(`generated an identity; public key ${recipient}`),
    );
    // "Copy Public Key": the browser's clipboard holds it (read with the permission granted).
    assert.equal(await workbench.readClipboard(), recipient);
    // "Save Backup…" writes the identity file, owner-only, as age-keygen does.
    const backup = join(folders.runDir, 'generated-identity.txt');
    await toast.getByRole('button', { name: 'Save Backup…' }).click();
    await workbench.answerFileDialog(backup);
    await waitFor(() => existsSync(backup), 'the identity backup is written', 15_000);
    assert.equal(statSync(backup).mode & 0o777, 0o600);
    assert.equal(execFileSync('age-keygen', ['-y', backup], { encoding: 'utf8' }).trim(), recipient);
    await workbench.clearToasts();
    const plain = Buffer.concat([Buffer.from('for the generated key\n'), randomBytes(4000)]);
    contents.set('generated.txt', plain);
    execFileSync('age', ['-r', recipient, '-o', workspacePath('generated.txt.age')], { input: plain });
    await workbench.waitForExplorerRow('generated.txt.age');

    await workbench.runContextMenu(workbench.explorerRow('generated.txt.age').first(), [
      'KWQM',
      'Decrypt File',
    ]);
    await workbench.waitForToast('Decrypted generated.txt.age → generated.txt');
    assert.equal(
      await workbench.page.locator('.quick-input-widget input[type="password"]').isVisible(),
      false,
    );
    assert.deepEqual(readFileSync(workspacePath('generated.txt')), plain);
    // The backup opens the file with the reference CLI too.
    assert.deepEqual(execFileSync('age', ['-d', '-i', backup, workspacePath('generated.txt.age')]), plain);
    await workbench.clearToasts();

    await workbench.runCommand('KWQM: Forget Stored Secrets');
    await workbench.answerDialog('Forget every identity and remembered passphrase', 'Forget');
    await workbench.waitForToast('stored secrets forgotten');
    await workbench.clearToasts();
    rmSync(workspacePath('generated.txt'));
    await workbench.waitForExplorerRow('generated.txt', { present: false });
    await workbench.runContextMenu(workbench.explorerRow('generated.txt.age').first(), [
      'KWQM',
      'Decrypt File',
    ]);
    const missing = await workbench.waitForToast('no identity is stored');
    assert.match(await missing.textContent(), /Import Identity File…/);
    await workbench.screenshot('forgotten-identity');
    await pause(1000);
    assert.equal(existsSync(workspacePath('generated.txt')), false);
    // Importing the backup from that error decrypts the file without a second Decrypt File.
    await missing.getByRole('button', { name: 'Import Identity File…', exact: true }).click();
    await workbench.answerFileDialog(backup);
    await workbench.waitForToast('1 new identity stored');
    await workbench.waitForToast('Decrypted generated.txt.age → generated.txt');
    await workbench.screenshot('forgotten-identity-imported');
    assert.deepEqual(readFileSync(workspacePath('generated.txt')), plain);
    await workbench.clearToasts();
  });

  it('with kwqm.rememberPassphrase on, asks once per workspace; after Forget Stored Secrets it asks again; a mistyped decrypt passphrase is not kept', async () => {
    await setUserSetting('kwqm.rememberPassphrase', true);
    await workbench.runContextMenu(workbench.explorerRow('remember-1.txt').first(), ['KWQM', 'Encrypt File']);
    await workbench.answerPassword('Passphrase for the age file', REMEMBERED_PASSPHRASE);
    await workbench.answerPassword('Type the passphrase again', REMEMBERED_PASSPHRASE);
    await workbench.waitForToast('Encrypted remember-1.txt → remember-1.txt.age');
    await workbench.clearToasts();
    await workbench.runContextMenu(workbench.explorerRow('remember-2.txt').first(), ['KWQM', 'Encrypt File']);
    // No password box this time: the passphrase remembered for this workspace is used.
    await workbench.waitForToast('Encrypted remember-2.txt → remember-2.txt.age');
    assert.equal(
      await workbench.page.locator('.quick-input-widget input[type="password"]').isVisible(),
      false,
    );
    await workbench.screenshot('remembered-passphrase');
    await workbench.clearToasts();
    for (const name of ['remember-1.txt', 'remember-2.txt'])
      assert.deepEqual(decryptWithAge(`${name}.age`, REMEMBERED_PASSPHRASE), contents.get(name));

    await workbench.runCommand('KWQM: Forget Stored Secrets');
    await workbench.answerDialog('Forget every identity and remembered passphrase', 'Forget');
    await workbench.waitForToast('stored secrets forgotten');
    await workbench.clearToasts();
    await workbench.runContextMenu(workbench.explorerRow('remember-3.txt').first(), ['KWQM', 'Encrypt File']);
    const prompt = workbench.page
      .locator('.quick-input-widget')
      .filter({ hasText: 'Passphrase for the age file' });
    await prompt.waitFor({ state: 'visible', timeout: 15_000 });
    await workbench.screenshot('forgotten-passphrase-asks-again');
    // Backing out of the prompt queues nothing.
    await workbench.page.keyboard.press('Escape');
    await prompt.waitFor({ state: 'hidden', timeout: 10_000 });
    await pause(1000);
    assert.deepEqual(workspaceEntries('remember-3.txt'), ['remember-3.txt']);

    // A mistyped decrypt passphrase fails the job and is not remembered: the next Decrypt File
    // asks again, and the passphrase that opened the file is the one kept.
    rmSync(workspacePath('remember-1.txt'));
    const decryptPrompt = workbench.page
      .locator('.quick-input-widget')
      .filter({ hasText: 'Passphrase of the age file' });
    await workbench.runContextMenu(workbench.explorerRow('remember-1.txt.age').first(), [
      'KWQM',
      'Decrypt File',
    ]);
    await workbench.answerPassword('Passphrase of the age file', PASSPHRASES.rememberTypo);
    const failed = await workbench.waitForToast('Could not decrypt remember-1.txt.age');
    assert.match(await failed.textContent(), /AGE_WRONG_PASSPHRASE/);
    await workbench.clearToasts();
    await workbench.runContextMenu(workbench.explorerRow('remember-1.txt.age').first(), [
      'KWQM',
      'Decrypt File',
    ]);
    await decryptPrompt.waitFor({ state: 'visible', timeout: 15_000 });
    await workbench.screenshot('mistyped-passphrase-asks-again');
    await workbench.answerPassword('Passphrase of the age file', REMEMBERED_PASSPHRASE);
    await workbench.waitForToast('Decrypted remember-1.txt.age → remember-1.txt');
    assert.deepEqual(readFileSync(workspacePath('remember-1.txt')), contents.get('remember-1.txt'));
    await waitForLog(/\S+: remember the workspace's decrypt passphrase/);
    await workbench.clearToasts();
    await setUserSetting('kwqm.rememberPassphrase', false);
  });

  it('Encrypt File from the palette on a file with unsaved changes asks first; Save and Encrypt encrypts the text the editor shows', async () => {
    // code-server saves edits after a second by default (files.autoSave afterDelay); desktop
    // VS Code does not, and there the editor and the disk differ until the user saves. Left off
    // for the rest of the run: the later tests type into no editor but settings.json, and
    // editUserSettings closes it only once saved (a close while its save is in flight would ask
    // about unsaved changes in a modal).
    await setUserSetting('files.autoSave', 'off');
    try {
      await workbench.runCommand('View: Close All Editors');
      await workbench.explorerRow('unsaved.txt').first().dblclick();
      await waitFor(
        async () => (await workbench.activeEditorName()) === 'unsaved.txt',
        'unsaved.txt is open',
      );
      const edited = `typed in the editor ${randomBytes(6).toString('hex')}\n`;
      await workbench.page
        .locator('.editor-group-container.active .monaco-editor .view-lines')
        .first()
        .click();
      await workbench.page.keyboard.press('Control+A');
      await workbench.page.keyboard.insertText(edited);
      await workbench.page
        .locator('.editor-group-container.active .tab.active.dirty')
        .waitFor({ state: 'visible', timeout: 10_000 });
      assert.deepEqual(readFileSync(workspacePath('unsaved.txt')), contents.get('unsaved.txt'));
      await workbench.runCommand('KWQM: Encrypt File');
      // The question comes before any passphrase; jobs read the disk, so the user chooses.
      const question = workbench.page
        .locator('.monaco-dialog-box')
        .filter({ hasText: 'unsaved.txt has unsaved changes' });
      await question.waitFor({ state: 'visible', timeout: 15_000 });
      await workbench.screenshot('unsaved-changes-question');
      await workbench.answerDialog('unsaved.txt has unsaved changes', 'Save and Encrypt');
      await workbench.answerPassword('Passphrase for the age file', PASSPHRASES.unsaved);
      await workbench.answerPassword('Type the passphrase again', PASSPHRASES.unsaved);
      await workbench.waitForToast('Encrypted unsaved.txt → unsaved.txt.age');
      assert.equal(readFileSync(workspacePath('unsaved.txt'), 'utf8'), edited);
      assert.equal(decryptWithAge('unsaved.txt.age', PASSPHRASES.unsaved).toString(), edited);
      await workbench.clearToasts();
    } finally {
      // Never leave a dirty editor behind: the next Close All Editors would ask about it.
      if ((await workbench.page.locator('.tab.dirty').count()) > 0)
        await workbench.runCommand('File: Revert File').catch(() => undefined);
    }
  });

  it('an output outside the workspace folders gets no Reveal in Explorer (it would do nothing); the notification names its folder', async () => {
    const outsideDir = join(folders.runDir, 'outside');
    mkdirSync(outsideDir, { recursive: true });
    const outsideFile = join(outsideDir, 'outside.txt');
    writeFileSync(outsideFile, 'not in the workspace\n');
    await workbench.runCommand('View: Close All Editors');
    await waitFor(async () => (await workbench.activeEditorName()) === undefined, 'no editor is open');
    // Opened by path, as from a terminal: Go to File takes an absolute path.
    await workbench.page.keyboard.press('Control+P');
    await workbench.page.locator('.quick-input-widget .quick-input-box input').fill(outsideFile);
    const row = workbench.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ hasText: outsideDir });
    await row.first().waitFor({ state: 'visible', timeout: 15_000 });
    await row.first().click();
    await waitFor(async () => (await workbench.activeEditorName()) === 'outside.txt', 'outside.txt is open');
    await workbench.runCommand('KWQM: Compress File');
    const toast = await workbench.waitForToast(`Compressed outside.txt → outside.txt.gz (in ${outsideDir})`);
    await workbench.screenshot('outside-workspace-notification');
    assert.equal(await toast.getByRole('button', { name: 'Reveal in Explorer' }).count(), 0);
    assert.equal(gunzipSync(readFileSync(`${outsideFile}.gz`)).toString(), 'not in the workspace\n');
    await workbench.clearToasts();
    await workbench.runCommand('View: Close All Editors');
  });

  it('with kwqm.useDaemon always, starts the kwqm daemon and runs the next job there', async () => {
    const settingsPath = join(folders.userData, 'User', 'settings.json');
    const settings = { ...JSON.parse(readFileSync(settingsPath, 'utf8')), 'kwqm.useDaemon': 'always' };
    await workbench.editUserSettings(settings);
    const saved = Date.now() + 15_000;
    while (!readFileSync(settingsPath, 'utf8').includes('"always"')) {
      assert.ok(Date.now() < saved, 'settings.json was saved within 15 s');
      await pause(250);
    }
    assert.deepEqual(JSON.parse(readFileSync(settingsPath, 'utf8')), settings);
    const digest = createHash('sha256').update(contents.get('hello.txt')).digest('hex');
    // Wait until the extension has seen the change.
    const deadline = Date.now() + 30_000;
    while (!readFileSync(kwqmLog(), 'utf8').includes('queue settings changed')) {
      assert.ok(Date.now() < deadline, 'the extension saw the kwqm.useDaemon change within 30 s');
      await pause(250);
    }
    await workbench.runContextMenu(workbench.explorerRow('hello.txt').first(), [
      'KWQM',
      'Hash File (SHA-256)',
    ]);
    const toast = await workbench.waitForToast('SHA256 of hello.txt');
    assert.match(await toast.textContent(), new RegExp(digest));
    await workbench.screenshot('daemon-hash-notification');
    const log = readFileSync(kwqmLog(), 'utf8');
    const started = /queue runs in the kwqm daemon \(pid (\d+), socket ([^)]+)\)/.exec(log);
    assert.ok(started, 'the log says the queue runs in the daemon');
    daemonPid = Number(started[1]);
    assert.equal(started[2], join(folders.runDir, 'xdg-runtime', 'kwqm.sock'));
    assert.doesNotThrow(() => process.kill(daemonPid, 0), 'the daemon is running');
    await workbench.clearToasts();
  });

  it('with kwqm.useDaemon always, Change Priority… and Cancel Job act on the daemon queue', async () => {
    try {
      await setUserSetting('kwqm.useDaemon', 'always');
      await prepareQueueView();
      const startsBefore = [
        ...readFileSync(kwqmLog(), 'utf8').matchAll(
          /\] started \S+ hash priority=\w+ input="[^"]*\/big\.bin"/g,
        ),
      ].length;
      await workbench.runContextMenu(workbench.explorerRow('big.bin').first(), [
        'KWQM',
        'Hash File (SHA-256)',
      ]);
      const slow = workbench.queueRow('big.bin').filter({ hasText: /hash · (starting|\d+%)/ });
      await slow.first().waitFor({ state: 'visible', timeout: 30_000 });
      const started = await waitForLog(/queue runs in the kwqm daemon \(pid (\d+), socket ([^)]+)\)/);
      daemonPid = Number(started[1]);
      assert.doesNotThrow(() => process.kill(daemonPid, 0), 'the daemon is running');
      // The latest start of a big.bin hash is this one (earlier tests hashed it too).
      let slowId;
      await waitFor(() => {
        const starts = [
          ...readFileSync(kwqmLog(), 'utf8').matchAll(
            /\] started (\S+) hash priority=\w+ input="[^"]*\/big\.bin"/g,
          ),
        ];
        slowId = starts.length > startsBefore ? starts.at(-1)[1] : undefined;
        return slowId !== undefined;
      }, 'the log shows the slow hash started');

      await workbench.selectInExplorer(['daemon-1.txt', 'daemon-2.txt', 'daemon-3.txt']);
      await workbench.runContextMenu(workbench.explorerRow('daemon-2.txt').first(), [
        'KWQM',
        'Compress File',
      ]);
      for (const name of ['daemon-1.txt', 'daemon-2.txt', 'daemon-3.txt'])
        await workbench.waitForQueueRow(name, 'compress · medium');
      assert.deepEqual(await queuedRows(), [
        'Queued — medium priority (3)',
        'daemon-1.txt compress · medium',
        'daemon-2.txt compress · medium',
        'daemon-3.txt compress · medium',
      ]);
      await workbench.screenshot('daemon-queued');

      await workbench.clickInlineAction(workbench.queueRow('daemon-3.txt').first(), 'Remove from Queue');
      await workbench.waitForQueueRow('daemon-3.txt', 'removed');
      await waitForLog(/\] removed \S+ compress priority=medium input="[^"]*\/daemon-3\.txt"/);

      await workbench.clickInlineAction(workbench.queueRow('daemon-2.txt').first(), 'Change Priority…');
      await workbench.pickQuickItem('high');
      await workbench.waitForQueueRow('daemon-2.txt', 'compress · high');
      assert.deepEqual(await queuedRows(), [
        'Queued — high priority (1)',
        'daemon-2.txt compress · high',
        'Queued — medium priority (1)',
        'daemon-1.txt compress · medium',
      ]);
      await waitForLog(
        /\] priority-changed \S+ compress priority=high input="[^"]*\/daemon-2\.txt" from=medium/,
      );
      await workbench.screenshot('daemon-priority-changed');

      await workbench.clickInlineAction(slow.first(), 'Cancel Job');
      await workbench.waitForQueueRow('big.bin', 'hash · canceled', 30_000);
      await waitForLog(new RegExp(`\\] canceled ${slowId} hash .*error=CANCELED`));
      for (const name of ['daemon-2.txt', 'daemon-1.txt'])
        await workbench.waitForQueueRow(name, 'compress · done', 30_000);
      // The three files were one command: one summary, which counts the removed one.
      await workbench.waitForToast('Compressed 2 of 3 files; 1 removed');
      await workbench.screenshot('daemon-canceled-and-done');
      const order = [
        ...readFileSync(kwqmLog(), 'utf8').matchAll(
          /\] started \S+ compress priority=\w+ input="[^"]*\/(daemon-\d\.txt)"/g,
        ),
      ].map((match) => match[1]);
      assert.deepEqual(order, ['daemon-2.txt', 'daemon-1.txt']);
      for (const name of ['daemon-1.txt', 'daemon-2.txt'])
        assert.deepEqual(execFileSync('gzip', ['-dc', workspacePath(`${name}.gz`)]), contents.get(name));
      assert.deepEqual(workspaceEntries('big.bin'), ['big.bin']);
      assert.deepEqual(workspaceEntries('daemon-3'), ['daemon-3.txt']);
      // The jobs ran in the daemon: the editor's log names it as the place, and it still runs.
      assert.doesNotThrow(() => process.kill(daemonPid, 0), 'the daemon is still running');
      await workbench.clearToasts();
    } finally {
      await stopSlowJob();
    }
  });

  it('logged every event, activated in under 50 ms, and never wrote a passphrase to disk', async () => {
    const log = readFileSync(kwqmLog(), 'utf8');
    const activation = /activated in ([\d.]+) ms wall, ([\d.]+) ms CPU/.exec(log);
    assert.ok(activation, 'the activation time is logged');
    console.log(`# ${/activated in .*/.exec(log)[0]}`);
    // CPU time, not wall time: on a shared 2-core CI machine wall time mostly measures waiting.
    assert.ok(Number(activation[2]) < 50, `activation took ${activation[2]} ms of CPU`);
    for (const type of [
      'queued',
      'started',
      'priority-changed',
      'succeeded',
      'failed',
      'removed',
      'canceled',
    ]) {
      assert.match(log, new RegExp(`\\] ${type} `), `the log has a ${type} event`);
    }
    // Passphrases live in memory only (kwqm.rememberPassphrase is off): in no file of the run.
    for (const file of findFiles(folders.runDir, () => true)) {
      if (statSync(file).size > 50 * 1024 ** 2) continue;
      const text = readFileSync(file, 'latin1');
      for (const passphrase of Object.values(PASSPHRASES)) {
        assert.equal(text.includes(passphrase), false, `${file} contains a passphrase`);
      }
    }
  });
  it('reloading the window while an in-editor job runs cancels it, leaves no temp file, and logs the cancel', async () => {
    // Runs last: the reload starts a second extension host, with a KWQM.log of its own.
    const reopens = () =>
      (readFileSync(kwqmLog(), 'utf8').match(/queue settings changed; the queue reopens on next use/g) ?? [])
        .length;
    const before = reopens();
    await setUserSetting('kwqm.useDaemon', 'never');
    await waitFor(() => reopens() > before, 'the daemon connection was replaced');
    await prepareQueueView();
    await workbench.runContextMenu(workbench.explorerRow('big.bin').first(), ['KWQM', 'Compress File']);
    await workbench
      .queueRow('big.bin')
      .filter({ hasText: /compress · \d+%/ })
      .first()
      .waitFor({ timeout: 30_000 });
    const starts = [
      ...readFileSync(kwqmLog(), 'utf8').matchAll(
        /\] started (\S+) compress priority=\w+ input="[^"]*\/big\.bin"/g,
      ),
    ];
    const jobId = starts.at(-1)?.[1];
    assert.ok(jobId, 'the log shows the compress started');
    assert.equal(
      [...readFileSync(kwqmLog(), 'utf8').matchAll(/queue runs in (the editor|the kwqm daemon)/g)].at(
        -1,
      )?.[1],
      'the editor',
    );
    await waitFor(
      () => workspaceEntries('big.bin').some((name) => name !== 'big.bin'),
      'a partial output appears',
    );
    // The new document's load: the old workbench's rows would satisfy the waits below at once.
    const reloaded = workbench.page.waitForEvent('load', { timeout: 60_000 });
    await workbench.runCommand('Developer: Reload Window');
    await reloaded;
    await workbench.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await workbench.waitForExplorerRow('big.bin');
    const logText = () =>
      findFiles(join(folders.userData, 'logs'), (name) => name === 'KWQM.log')
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n');
    await waitFor(
      () => new RegExp(`\\] canceled ${jobId} compress .*error=CANCELED`).test(logText()),
      'the log has the canceled line of the job',
    );
    assert.match(
      logText(),
      new RegExp(
        `the window is closing: canceling 1 job\\(s\\) of the editor's queue \\(${jobId} compress running\\)`,
      ),
    );
    await waitFor(() => workspaceEntries('big.bin').length === 1, 'the partial output is removed');
    assert.deepEqual(workspaceEntries('big.bin'), ['big.bin']);
    await workbench.screenshot('reloaded-after-cancel');
  });
});
