// One worker per node. It claims units of work — finishing batch jobs, reading batch inputs, async
// invocations, batch records — up to `jobs.concurrency` at a time, runs them, and keeps their leases alive
// with a heartbeat. Work submitted on this node wakes it at once; work from other nodes is found by polling.
// On stop it claims nothing more, lets running units finish within the grace period, then aborts the rest,
// which hand their claims back so another node (or the next start) picks them up without waiting.
import { randomUUID } from "node:crypto";
import { log } from "../log.js";
import {
  anyOpenJob, claimJobs, claimRecords, releaseDeadOwners, releaseJob, releaseRecord, renewLeases, type ClaimedRecord, type JobWork,
} from "./claims.js";
import { expandBatch } from "./expand-batch.js";
import { finalizeBatch } from "./finalize-batch.js";
import type { JobEnv } from "./job-env.js";
import type { JobsConfig } from "./jobs-config.js";
import { getJob } from "./job-store.js";
import { runAsyncInvoke } from "./run-async-invoke.js";
import { runBatchRecord, type BatchJobInfo } from "./run-batch-record.js";

const JOB_WORK_ORDER: readonly JobWork[] = ["finalize", "expand", "async"];

interface Unit {
  controller: AbortController;
  jobId: string;
  /** Set for a batch record. */
  seq?: number;
  done: Promise<void>;
}

export class JobWorker {
  /** This process's identity in lease columns: unique per start, so a restart never mistakes old claims for its own. */
  readonly owner = `${process.pid}-${randomUUID()}`;
  private readonly units = new Map<string, Unit>();
  private readonly jobInfo = new Map<string, BatchJobInfo>();
  private readonly env: JobEnv;
  private wake: (() => void) | undefined;
  private woken = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(env: Omit<JobEnv, "nudge">, private readonly config: JobsConfig) {
    this.env = { ...env, nudge: () => this.nudge() };
  }

  start(): void {
    if (this.loop) return;
    this.heartbeat = setInterval(() => void this.renew(), Math.floor(this.config.leaseMs / 3));
    this.heartbeat.unref();
    this.loop = this.run();
  }

  /** Look for work now (called when a job is submitted or stopped on this node). */
  nudge(): void {
    this.woken = true;
    this.wake?.();
  }

  /** Units running on this node now. */
  get busy(): number {
    return this.units.size;
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    this.nudge();
    await this.loop;
    const all = Promise.allSettled([...this.units.values()].map((u) => u.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const unit of this.units.values()) unit.controller.abort();
    await all;
    clearInterval(this.heartbeat);
  }

  private async run(): Promise<void> {
    if (this.env.db.dialect === "sqlite") {
      await releaseDeadOwners(this.env.db, this.owner).catch((err) => log.error({ err }, "jobs: could not take back unfinished work"));
    }
    while (!this.stopping) {
      let started = 0;
      try {
        started = await this.fill();
      } catch (err) {
        log.warn({ err }, "jobs: claiming work failed; will retry");
      }
      if (this.stopping) break;
      // Wait for a reason to look again — a unit finished, a nudge, or the poll interval — unless the last
      // round found work and slots are still free.
      if (started === 0 || this.free() <= 0) await this.idle();
    }
  }

  private idle(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), this.config.pollMs);
      this.wake = () => {
        this.wake = undefined;
        this.woken = false;
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private free(): number {
    return this.config.concurrency - this.units.size;
  }

  private async fill(): Promise<number> {
    let started = 0;
    if (this.free() <= 0 || !(await anyOpenJob(this.env.db))) return started;
    for (const work of JOB_WORK_ORDER) {
      if (this.free() <= 0 || this.stopping) return started;
      for (const id of await claimJobs(this.env.db, work, this.owner, this.config.leaseMs, this.free())) {
        this.launch(`${work}:${id}`, id, undefined, (signal) => this.runJobWork(work, id, signal));
        started++;
      }
    }
    if (this.free() <= 0 || this.stopping) return started;
    for (const record of await claimRecords(this.env.db, this.owner, this.config.leaseMs, this.free())) {
      this.launch(`record:${record.jobId}:${record.seq}`, record.jobId, record.seq, (signal) => this.runRecord(record, signal));
      started++;
    }
    return started;
  }

  private runJobWork(work: JobWork, id: string, signal: AbortSignal): Promise<void> {
    if (work === "async") return runAsyncInvoke(this.env, id, this.owner, signal);
    if (work === "expand") return expandBatch(this.env, id, this.owner);
    return finalizeBatch(this.env, id, this.owner).finally(() => this.jobInfo.delete(id));
  }

  private async runRecord(record: ClaimedRecord, signal: AbortSignal): Promise<void> {
    await runBatchRecord(this.env, await this.batchJobInfo(record.jobId), record, this.owner, signal);
  }

  private launch(key: string, jobId: string, seq: number | undefined, run: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    const done = run(controller.signal)
      .catch(async (err) => {
        log.error({ err, unit: key }, "jobs: unit of work failed; releasing it");
        const release = seq === undefined ? releaseJob(this.env.db, jobId, this.owner, 1000) : releaseRecord(this.env.db, jobId, seq, this.owner);
        await release.catch(() => undefined);
      })
      .finally(() => {
        this.units.delete(key);
        this.nudge();
      });
    this.units.set(key, { controller, jobId, seq, done });
  }

  private async renew(): Promise<void> {
    const jobs: string[] = [];
    const records: { jobId: string; seq: number }[] = [];
    for (const u of this.units.values()) {
      if (u.seq === undefined) jobs.push(u.jobId);
      else records.push({ jobId: u.jobId, seq: u.seq });
    }
    await renewLeases(this.env.db, this.owner, this.config.leaseMs, { jobs, records }).catch((err) => log.warn({ err }, "jobs: lease renewal failed"));
  }

  private async batchJobInfo(jobId: string): Promise<BatchJobInfo> {
    let info = this.jobInfo.get(jobId);
    if (!info) {
      const job = await getJob(this.env.db, "batch", jobId);
      if (!job) throw new Error(`batch job ${jobId} vanished`);
      info = {
        modelId: job.modelId,
        arn: job.arn,
        caller: job.caller,
        invocationType: job.request.modelInvocationType === "Converse" ? "Converse" : "InvokeModel",
      };
      // Other nodes may finish the job, so entries are not always deleted here: keep the map small instead.
      if (this.jobInfo.size >= 1000) this.jobInfo.clear();
      this.jobInfo.set(jobId, info);
    }
    return info;
  }
}
