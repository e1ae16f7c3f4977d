/** Configuration from the environment, validated once at start-up. */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_CHILD_LIMITS, type ChildLimits } from './limited-process';
import { LAGGING_READ_PREFERENCES } from './store/connection-settings';
import { REPO_ROOT } from './store/embedded-ferretdb';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** A MongoDB (or FerretDB) server; unset = start the embedded FerretDB with data in DATA_DIR. */
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI').optional(),
  /** On a replica set: where lists and statistics read (they may lag behind the newest writes); see docs/operations.md. */
  MONGODB_LAGGING_READS: z.enum(LAGGING_READ_PREFERENCES).default('primary'),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/).default('lexwatch'),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, 'data')),
  UPLOAD_DIR: z.string().default(path.join(REPO_ROOT, 'uploads')),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  /** Lexicon directory or file; default: the shipped starter lexicon. */
  LEXICON: z.string().optional(),
  TARGETS: z.string().optional(),
  /** Independent confirmations a flag needs (1 is allowed; dossiers state it). */
  REVIEW_CONFIRMATIONS: z.coerce.number().int().min(1).max(5).default(2),
  /** An Ed25519 private key (PKCS#8 PEM file, made by `lexwatch keys create`): dossier packages are signed with it. */
  DOSSIER_SIGNING_KEY: z.string().optional(),
  /** "true": nobody reviews flags on documents they uploaded. */
  REVIEW_FORBID_OWN_UPLOADS: z.enum(['true', 'false']).default('false'),
  /** Express "trust proxy" (e.g. "loopback" or 1) when a TLS proxy is in front; makes cookies Secure. */
  TRUST_PROXY: z.string().optional(),
  /** Open progress streams (GET /api/documents/:id/events) per user, and per process; more answer 429. */
  EVENT_STREAMS_PER_USER: z.coerce.number().int().min(1).max(1_000).default(10),
  EVENT_STREAMS_PER_PROCESS: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Where the server has no change streams, the one query per process that follows every open progress stream runs this often (ms). */
  EVENTS_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** Web captures (docs/capture.md): hosts or addresses a capture may reach although they are not public (comma-separated). */
  CAPTURE_ALLOW_HOSTS: z.string().default(''),
  /** A capture's limits: the whole capture, response bytes of all its requests together, and its requests. */
  CAPTURE_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(600).default(60),
  CAPTURE_MAX_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  CAPTURE_MAX_REQUESTS: z.coerce.number().int().min(1).max(10_000).default(300),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Documents processed at once by one runner (service or `npm run worker`); 0 = no in-service runner. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(1),
  /** How long a claimed document stays claimed without a heartbeat (a killed worker's documents move on after this). */
  LEASE_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** Tesseract processes per document at once (each single-threaded); default: one per core. */
  OCR_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  OCR_DPI: z.coerce.number().int().min(72).max(600).default(150),
  /** "false": no extraction child waits, started, for the next document (saves its memory, ~300 MB under tsx; costs ~1 s a document). */
  SPARE_EXTRACTION_CHILD: z.enum(['true', 'false']).default('true'),
  // Caps of child processes (see src/limited-process.ts): writable memory (RLIMIT_DATA), CPU time
  // (RLIMIT_CPU) and wall-clock time. A process over a cap is killed; its page (or document)
  // fails with a reason that names the setting to raise.
  /** The extraction child (pdf.js, HTML, DOCX), per document. */
  EXTRACT_MEMORY_MB: z.coerce.number().int().min(256).max(1_048_576).default(DEFAULT_CHILD_LIMITS.extract.memoryMb),
  EXTRACT_CPU_SECONDS: z.coerce.number().int().min(1).max(86_400).default(DEFAULT_CHILD_LIMITS.extract.cpuSeconds),
  EXTRACT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(DEFAULT_CHILD_LIMITS.extract.timeoutMs / 1000),
  /** Drawing one page (mutool, pdftoppm), finding its words (pdftotext), converting a TIFF (tiff2pdf). */
  RENDER_MEMORY_MB: z.coerce.number().int().min(64).max(1_048_576).default(DEFAULT_CHILD_LIMITS.render.memoryMb),
  RENDER_CPU_SECONDS: z.coerce.number().int().min(1).max(86_400).default(DEFAULT_CHILD_LIMITS.render.cpuSeconds),
  RENDER_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(DEFAULT_CHILD_LIMITS.render.timeoutMs / 1000),
  /** Tesseract, per page read. */
  OCR_MEMORY_MB: z.coerce.number().int().min(64).max(1_048_576).default(DEFAULT_CHILD_LIMITS.ocr.memoryMb),
  OCR_CPU_SECONDS: z.coerce.number().int().min(1).max(86_400).default(DEFAULT_CHILD_LIMITS.ocr.cpuSeconds),
  OCR_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(DEFAULT_CHILD_LIMITS.ocr.timeoutMs / 1000),
});

export type Config = z.infer<typeof EnvSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

type LimitSettings = Pick<
  Config,
  | 'EXTRACT_MEMORY_MB' | 'EXTRACT_CPU_SECONDS' | 'EXTRACT_TIMEOUT_SECONDS'
  | 'RENDER_MEMORY_MB' | 'RENDER_CPU_SECONDS' | 'RENDER_TIMEOUT_SECONDS'
  | 'OCR_MEMORY_MB' | 'OCR_CPU_SECONDS' | 'OCR_TIMEOUT_SECONDS'
>;

/** The child-process caps the configuration sets (unset settings keep their defaults). */
export function childLimitsFromConfig(config: Partial<LimitSettings>): ChildLimits {
  const d = DEFAULT_CHILD_LIMITS;
  return {
    extract: { memoryMb: config.EXTRACT_MEMORY_MB ?? d.extract.memoryMb, cpuSeconds: config.EXTRACT_CPU_SECONDS ?? d.extract.cpuSeconds, timeoutMs: config.EXTRACT_TIMEOUT_SECONDS ? config.EXTRACT_TIMEOUT_SECONDS * 1000 : d.extract.timeoutMs },
    render: { memoryMb: config.RENDER_MEMORY_MB ?? d.render.memoryMb, cpuSeconds: config.RENDER_CPU_SECONDS ?? d.render.cpuSeconds, timeoutMs: config.RENDER_TIMEOUT_SECONDS ? config.RENDER_TIMEOUT_SECONDS * 1000 : d.render.timeoutMs },
    ocr: { memoryMb: config.OCR_MEMORY_MB ?? d.ocr.memoryMb, cpuSeconds: config.OCR_CPU_SECONDS ?? d.ocr.cpuSeconds, timeoutMs: config.OCR_TIMEOUT_SECONDS ? config.OCR_TIMEOUT_SECONDS * 1000 : d.ocr.timeoutMs },
  };
}
