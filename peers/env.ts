/**
 * Where the test peers are, for tests run by `npm run test:peers` (`scripts/peers/test-peers.sh`
 * starts MinIO and lakeFS and exports these; `scripts/peers/env.sh` has the install locations).
 * Each getter throws a plain Error naming the variable when it is not set, so a peer test started
 * outside test:peers fails at once with the reason instead of hanging or skipping.
 */

/** The value of `name`, or an Error saying to run `npm run test:peers`. */
export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: peer tests run under \`npm run test:peers\` (after \`npm run peers:install\`).`);
  return v;
}

/** The installed peers (from `scripts/peers/env.sh`). */
export interface PeersInstall {
  /** The cache folder (`~/.cache/delta-explorer/peers` by default). */
  cache: string;
  /** The Python venv (deltalake, duckdb + duckdb-ext-delta, pyarrow, pyspark, delta-spark, minio). */
  venv: string;
  /** `<venv>/bin/python`. */
  python: string;
  /** Ivy folder with the resolved Spark jars (`spark.jars.ivy`). */
  sparkIvy: string;
  /** Maven coordinates resolved there (`spark.jars.packages`). */
  sparkPackages: string;
}

/** MinIO as started by test:peers (root user, and a user restricted by an IAM policy). */
export interface MinioPeer {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A user that may list bucket `lake` and read only `lake/warehouse/covid/*`. */
  restricted: { accessKeyId: string; secretAccessKey: string };
}

/** lakeFS as started by test:peers (admin keys from `POST /api/v1/setup_lakefs`). */
export interface LakeFsPeer {
  /** `http://127.0.0.1:<port>` (API at `/api/v1`, S3 gateway at the same address). */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path of the JSON written by `scripts/peers/seed_lakefs.py` (repositories, refs, tables). */
  factsPath: string;
}

export function peersInstall(): PeersInstall {
  const venv = requireEnv('DX_PEERS_VENV');
  return {
    cache: requireEnv('DX_PEERS_CACHE'),
    venv,
    python: process.env.DX_PEERS_PYTHON ?? `${venv}/bin/python`,
    sparkIvy: requireEnv('DX_SPARK_IVY'),
    sparkPackages: requireEnv('DX_SPARK_PACKAGES'),
  };
}

export function minioPeer(): MinioPeer {
  return {
    endpoint: requireEnv('DX_MINIO_ENDPOINT'),
    accessKeyId: requireEnv('DX_MINIO_ACCESS_KEY'),
    secretAccessKey: requireEnv('DX_MINIO_SECRET_KEY'),
    restricted: { accessKeyId: requireEnv('DX_MINIO_RESTRICTED_ACCESS_KEY'), secretAccessKey: requireEnv('DX_MINIO_RESTRICTED_SECRET_KEY') },
  };
}

export function lakeFsPeer(): LakeFsPeer {
  return {
    endpoint: requireEnv('DX_LAKEFS_ENDPOINT'),
    accessKeyId: requireEnv('DX_LAKEFS_ACCESS_KEY'),
    secretAccessKey: requireEnv('DX_LAKEFS_SECRET_KEY'),
    factsPath: requireEnv('DX_LAKEFS_FACTS'),
  };
}
