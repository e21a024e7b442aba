import { Injectable } from '@nestjs/common';

/** Background work that must run in one process only (the projector's peers: schedulers, sagas' pollers). */
export interface LeaderTask {
  name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/**
 * Where modules register their background work. The engine starts every task when this process becomes the
 * leader and stops them when it steps down, so no task runs twice across API instances.
 */
@Injectable()
export class LeaderTasks {
  private readonly tasks: LeaderTask[] = [];
  private running = false;

  register(task: LeaderTask): void {
    this.tasks.push(task);
    if (this.running) void task.start();
  }

  get names(): string[] {
    return this.tasks.map((task) => task.name);
  }

  get isRunning(): boolean {
    return this.running;
  }

  async startAll(): Promise<void> {
    this.running = true;
    for (const task of this.tasks) await task.start();
  }

  async stopAll(): Promise<void> {
    this.running = false;
    for (const task of [...this.tasks].reverse()) await task.stop();
  }
}
