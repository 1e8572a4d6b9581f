// What bench/browserSoak.ts and its extension-host side (host.ts) hand each other.

/** `baseline` is the empty webview panel; the others are Drydock's browsers (`sqs-localstack`: peek, no receive). */
export type SoakSide = 'baseline' | 'sqs' | 'sqs-localstack' | 'dynamodb' | 's3';

export interface BrowserSoakConfig {
  /** Where the host writes its BrowserSoakOutput (or `{ error }`). */
  resultFile: string;
  /** The AWS endpoint's URL as the Local AWS view labels it. */
  endpoint: string;
  queue: string;
  table: string;
  bucket: string;
  /** An image object at the bucket's top level (its preview is the S3 browser panel). */
  imageKey: string;
  /** A queue on LocalStack for the `sqs-localstack` side. */
  localstack?: { endpoint: string; queue: string };
  cycles: number;
  /** Run one after another in this order, in the same extension host. */
  sides: SoakSide[];
}

export interface SideSamples {
  side: SoakSide;
  /** RSS after a forced GC just before the side's first cycle. */
  rssBeforeMb: number;
  /** Per cycle: open → first page posted → closed. */
  seconds: number[];
  /** Per cycle: RSS after a forced GC, after the panel closed. */
  rssMb: number[];
  /** Per cycle: V8 heap in use after the same GC (retained JS objects, without the allocator's slack). */
  heapMb: number[];
  /** Per cycle: rows of data posted to the webview (messages, items, the image). */
  rows: number[];
  /** Browser sides: an empty-panel cycle run right after each cycle (after its memory sample), timed. */
  pairedBaselineSeconds: number[];
  /** The side's peak RSS (VmHWM, reset before its first cycle, and the samples). */
  peakRssMb: number;
}

export interface BrowserSoakOutput {
  sides: SideSamples[];
  pid: number;
  node: string;
  peakResettable: boolean;
}
