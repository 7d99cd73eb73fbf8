import { AsyncLocalStorage } from "node:async_hooks";

// Which transaction, if any, the running code is inside. The global clients (`db`,
// `pgPool()`) refuse to work while one is open: a helper that reads through them inside a
// transaction waits for a second connection while holding the first, and under load every
// connection ends up waiting (issue 12 §5). Code inside a transaction uses the client it
// was given; this makes the mistake fail in the first test that runs it.
const transactionContext = new AsyncLocalStorage<{ name: string }>();

/** Runs `fn` marked as inside the transaction `name`. */
export function insideTransaction<T>(name: string, fn: () => T): T {
  return transactionContext.run({ name }, fn);
}

/** Runs `fn` outside any transaction mark: for work deliberately done on another connection. */
export function outsideTransaction<T>(fn: () => T): T {
  return transactionContext.exit(fn);
}

/** Throws when called inside a transaction: the global clients call it before every use. */
export function assertNoTransaction(client: string): void {
  const store = transactionContext.getStore();
  if (store) {
    throw new Error(`The global ${client} was used inside the transaction "${store.name}": use the transaction's own client.`);
  }
}
