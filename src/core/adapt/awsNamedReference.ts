import { bucketNameProblem, queueNameProblem, tableNameProblem } from '../snapshot/targetNames';
import type { AwsCopiedService, AwsResourceReference } from './awsReferenceParse';

/**
 * A bare resource name is taken for an AWS reference only when the key that holds it (ConfigMap/Secret data key,
 * env var name, annotation name) says unambiguously what it is — the rule:
 *
 * - The key is split into words (at `_ - . /` and camelCase humps): `ORDERS_TABLE` → orders table,
 *   `ordersTableName` → orders table name, `dynamodb.table` → dynamodb table.
 * - **DynamoDB table**: the key ends in `table`, `table name` or `tablename`, and no word names another database
 *   (`sql`, `postgres`, `mysql`, `pg`, `jdbc`, `mariadb`, `oracle`, `mssql`, `sqlite`, `redshift`, `athena`,
 *   `glue`, `hive`, `bigquery`, `cassandra`, `hbase`, `clickhouse`, `snowflake`, `iceberg`, `route`, `routing`,
 *   `ip`, `iptables`). `TABLE_REGION`, `TABLE_PREFIX`, `PG_TABLE` and `IPTABLES` are not table names.
 * - **S3 bucket**: the key ends in `bucket`, `bucket name` or `bucketname`, and no word names another object store
 *   (`gcs`, `gs`, `gcp`, `google`, `azure`, `blob`, `minio`, `r2`, `b2`, `oss`, `cos`, `spaces`, `wasabi`).
 * - **SQS queue**: the key ends in `queue`, `queue name` or `queuename` **and** has the word `sqs`
 *   (`SQS_QUEUE`, `sqsQueueName`): a bare queue name could as well be RabbitMQ's, Celery's or Kafka's.
 * - The value, without surrounding white space, is one valid name of that service (`targetNames.ts`) with at least
 *   one letter, and not a word like `true`, `none` or `default`.
 *
 * Names inside structured values (a YAML or JSON file held in a ConfigMap) are not looked at: only URLs and ARNs are
 * found there.
 */

const OTHER_DATABASES = new Set([
  'sql',
  'postgres',
  'postgresql',
  'mysql',
  'pg',
  'psql',
  'jdbc',
  'mariadb',
  'oracle',
  'mssql',
  'sqlite',
  'redshift',
  'athena',
  'glue',
  'hive',
  'bigquery',
  'cassandra',
  'hbase',
  'clickhouse',
  'snowflake',
  'iceberg',
  'route',
  'routing',
  'ip',
  'iptables',
]);
const OTHER_STORES = new Set([
  'gcs',
  'gs',
  'gcp',
  'google',
  'azure',
  'blob',
  'minio',
  'r2',
  'b2',
  'oss',
  'cos',
  'spaces',
  'wasabi',
]);
const NOT_NAMES = new Set([
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'none',
  'null',
  'nil',
  'default',
  'enabled',
  'disabled',
]);

/** The words of a key: `ordersTableName` → ['orders', 'table', 'name'], `DYNAMODB_TABLE` → ['dynamodb', 'table']. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function endsWithNoun(words: readonly string[], noun: string): boolean {
  const n = words.length;
  return (
    (n >= 1 && (words[n - 1] === noun || words[n - 1] === `${noun}name`)) ||
    (n >= 2 && words[n - 2] === noun && words[n - 1] === 'name')
  );
}

/** Which service a key names a resource of, by the rule above, or undefined. */
export function serviceNamedByKey(key: string): AwsCopiedService | undefined {
  const words = keyWords(key);
  if (endsWithNoun(words, 'table') && !words.some((w) => OTHER_DATABASES.has(w))) return 'dynamodb';
  if (endsWithNoun(words, 'bucket') && !words.some((w) => OTHER_STORES.has(w))) return 's3';
  if (endsWithNoun(words, 'queue') && words.includes('sqs')) return 'sqs';
  return undefined;
}

const NAME_PROBLEM: Record<AwsCopiedService, (name: string) => string | undefined> = {
  dynamodb: tableNameProblem,
  s3: bucketNameProblem,
  sqs: (name) => queueNameProblem(name, name.endsWith('.fifo')),
};

/** The resource a `key: value` pair names by the rule above, or undefined. */
export function findNamedReference(key: string, value: string): AwsResourceReference | undefined {
  const service = serviceNamedByKey(key);
  if (!service) return undefined;
  const m = /^(\s*)(\S+)\s*$/.exec(value);
  if (!m) return undefined;
  const name = m[2]!;
  if (!/[A-Za-z]/.test(name) || NOT_NAMES.has(name.toLowerCase()) || NAME_PROBLEM[service](name) !== undefined)
    return undefined;
  const start = m[1]!.length;
  return { kind: 'resource', service, form: 'name', name, text: name, start, end: start + name.length };
}
