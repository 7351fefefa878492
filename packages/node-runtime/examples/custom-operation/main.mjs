// Usage: node examples/custom-operation/main.mjs FILE...   (after `npm run build`)
// Counts lines of each file on worker threads next to a built-in operation (sha256).
import { createKwqmQueue } from '@kwqm/node-runtime';

const queue = createKwqmQueue({ operations: [new URL('./line-count-operation.mjs', import.meta.url)] });
try {
  for (const input of process.argv.slice(2)) {
    const [counted, hashed] = await Promise.all([
      queue.submit({ operation: 'line-count', params: { input }, label: input }).then((job) => job.result),
      queue.submit({ operation: 'hash', params: { input } }).then((job) => job.result),
    ]);
    console.log(`${input}: ${counted.lines} lines, ${counted.bytes} bytes, sha256 ${hashed.digest}`);
  }
} finally {
  await queue.close();
}
