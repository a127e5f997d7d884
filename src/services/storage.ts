import { storeLocation } from '../store/location.ts';
import { asStorageError, isStorageError, storageFaultOf, type StorageError } from '../store/storage-errors.ts';
import type { Runtime } from './runtime.ts';

/**
 * Storage failures for the faces: a caught error, explained as the storage error behind it when
 * there is one (disk full, read-only, permission, damage; see src/store/storage-errors.ts), else
 * itself. `rt`: names the deployment's store when the error carries no path.
 */
export function explainStorageError(err: unknown, rt?: Pick<Runtime, 'deployment'>): unknown {
  return asStorageError(err, rt ? storeLocation(rt.deployment) : undefined) ?? err;
}

/** A storage fault is behind `err` (so explaining it is worth naming the store). */
export function hasStorageFault(err: unknown): boolean {
  return isStorageError(err) || storageFaultOf(err) !== undefined;
}

export { asStorageError, isStorageError, type StorageError };
