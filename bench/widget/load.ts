/**
 * The load generator of bench/widget.bench.ts, run in a process of its own (forked) so that autocannon's own work
 * does not share the server's event loop: `argv` is url, connections, seconds, user; the result goes back over IPC.
 */
import autocannon from 'autocannon';

const [url, connections, seconds, user] = process.argv.slice(2);

autocannon({ url, connections: Number(connections), duration: Number(seconds), headers: { 'x-user-id': user } })
  .then((result) => process.send?.(result, () => process.exit(0)))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
