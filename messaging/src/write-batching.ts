import type { Socket } from 'node:net';

/**
 * amqplib hands its socket one write per frame (a publish, each ack, each
 * confirm), and an uncorked socket makes each write a system call of its own.
 * Corking the socket at the first write of an event-loop turn and uncorking
 * it once the turn's synchronous work is done sends all of that turn's frames
 * in one writev. Nothing waits longer than the current turn.
 *
 * Measured on the 2-core machine: a request/reply probe made 3.3 times fewer
 * write system calls; over four alternating pairs of benchmark runs at 16
 * connections, the front end's and the workers' CPU per request fell by about
 * 6% against the database's (which this cannot change).
 */
export function batchSocketWrites(socket: Socket): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with apply(this), the socket
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function batchedWrite(this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args as never);
  } as Socket['write'];
}
