// The reference `age` CLI, driven through /usr/bin/expect: age reads passphrases only from a
// terminal, and expect gives it one. The passphrase travels in the environment, not argv.
import { spawnSync } from 'node:child_process';

const DECRYPT_SCRIPT = `
set timeout 60
spawn age --decrypt --output $env(KWQM_OUT) $env(KWQM_IN)
expect {
  "Enter passphrase:" { send -- "$env(KWQM_PASSPHRASE)\\r"; exp_continue }
  eof
}
catch wait result
exit [lindex $result 3]
`;

const ENCRYPT_SCRIPT = `
set timeout 60
spawn age --passphrase --output $env(KWQM_OUT) $env(KWQM_IN)
expect "Enter passphrase"
send -- "$env(KWQM_PASSPHRASE)\\r"
expect "Confirm passphrase:"
send -- "$env(KWQM_PASSPHRASE)\\r"
expect eof
catch wait result
exit [lindex $result 3]
`;

function runExpect(script, input, output, passphrase) {
  const result = spawnSync('expect', ['-c', script], {
    env: { ...process.env, KWQM_IN: input, KWQM_OUT: output, KWQM_PASSPHRASE: passphrase },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** `age -d` with a passphrase; returns { status, output }. */
export function ageDecryptWithPassphrase(input, output, passphrase) {
  return runExpect(DECRYPT_SCRIPT, input, output, passphrase);
}

/** `age -p` (scrypt at age's own default work factor); returns { status, output }. */
export function ageEncryptWithPassphrase(input, output, passphrase) {
  return runExpect(ENCRYPT_SCRIPT, input, output, passphrase);
}
