// The storage layer's public surface: the three interfaces, their implementations, the factory and the
// config schemas. Other folders import from here.
export { type Admission, type KeyValueStore, StoreUnavailableError } from "./key-value-store.js";
export { MemoryKeyValueStore, type MemoryKeyValueStoreOptions } from "./memory-key-value-store.js";
export { RedisKeyValueStore, type RedisKeyValueStoreOptions } from "./redis-key-value-store.js";
export { DegradingKeyValueStore, type DegradingKeyValueStoreOptions } from "./degrading-key-value-store.js";
export { forUpdateSkipLocked, type Migration, type SqlDatabase, type SqlRow, type SqlValue } from "./sql-database.js";
export { SqliteDatabase } from "./sqlite-database.js";
export { ThreadedSqliteDatabase, type ThreadedSqliteOptions } from "./threaded-sqlite-database.js";
export { PostgresDatabase, type PostgresDatabaseOptions } from "./postgres-database.js";
export { BlobNotFoundError, type BlobStore, InvalidBlobUriError } from "./blob-store.js";
export { formatS3Uri, parseS3Uri, type S3Location } from "./parse-s3-uri.js";
export { LocalBlobStore } from "./local-blob-store.js";
export { S3BlobStore, type S3BlobStoreOptions } from "./s3-blob-store.js";
export { type OpenStoresConfig, openStores, type Stores, type StoresHealth, type StoresLogger } from "./open-stores.js";
export { dataDirSchema, type S3StorageConfig, s3StorageSchema, type StorageConfig, storageSchema } from "./storage-config.js";
