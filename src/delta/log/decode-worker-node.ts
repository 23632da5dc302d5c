/**
 * Node entry of a checkpoint decode worker (a `worker_threads` thread started through
 * `decode-worker-node.mjs`): {@link decodeWorkerApi} exposed over Comlink on the parent port.
 */
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { parentPort } from 'node:worker_threads';
import { decodeWorkerApi } from './decode-pool.ts';

Comlink.expose(decodeWorkerApi, nodeEndpoint(parentPort!));
