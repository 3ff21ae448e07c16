// Offline checks of the scheduling examples (examples/): every Kubernetes manifest against the
// Kubernetes API schemas (kubernetes-models, validated with ajv, no cluster needed) plus what
// makes it right for this tool; the GitHub Actions and GitLab CI files parsed and checked for
// the keys they need; every flag the examples pass exists in the real binary's --help.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments, parse } from "yaml";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";

const sourceDir = process.env.KBC_SOURCE_DIR ?? path.resolve("../..");
const examples = path.join(sourceDir, "examples");
const models = { CronJob, Job, PersistentVolumeClaim, Secret };
// A Storage API token looks like 123-4567-abc...; no example may hold one.
const tokenShape = /\b\d+-\d+-[A-Za-z0-9]{20,}\b/;

function documents(file) {
  const text = readFileSync(file, "utf8");
  return parseAllDocuments(text).map((doc) => {
    assert.equal(doc.errors.length, 0, `${file}: ${doc.errors.map(String).join("; ")}`);
    return doc.toJS();
  });
}

function validate(manifest, file) {
  const Model = models[manifest.kind];
  assert.ok(Model, `${file}: no schema for kind ${manifest.kind}`);
  new Model(manifest).validate();  // throws with the schema paths that are wrong
}

function podSpec(manifest) {
  return manifest.kind === "CronJob" ? manifest.spec.jobTemplate.spec.template.spec : manifest.spec.template.spec;
}

const runHelp = execFileSync(process.env.KBC_EXTRACT_BIN, ["run", "--help"], { encoding: "utf8" });
const globalHelp = execFileSync(process.env.KBC_EXTRACT_BIN, ["--help"], { encoding: "utf8" });
function assertFlagsExist(args, where) {
  for (const flag of args.filter((a) => a.startsWith("--"))) {
    assert.ok(runHelp.includes(flag) || globalHelp.includes(flag), `${where}: ${flag} is not a flag of kbc-storage-extract`);
  }
}

const k8sDir = path.join(examples, "kubernetes");
const k8sFiles = readdirSync(k8sDir).filter((f) => f.endsWith(".yaml")).map((f) => path.join(k8sDir, f));

test("every Kubernetes manifest is valid against the API schema", () => {
  assert.ok(k8sFiles.length >= 3);
  for (const file of k8sFiles) for (const manifest of documents(file)) validate(manifest, file);
});

test("the schema check fails a broken manifest (it is not a check that cannot fail)", () => {
  const [, cronJob] = documents(path.join(k8sDir, "cronjob.yaml"));
  const broken = structuredClone(cronJob);
  broken.spec.schedule = 215;
  delete podSpec(broken).containers[0].name;
  assert.throws(() => validate(broken, "broken"), /schedule must be string|must have required property 'name'|name/);
});

test("the CronJob: tokens from a Secret, never overlapping, state on a volume, no root", () => {
  const docs = documents(path.join(k8sDir, "cronjob.yaml"));
  const cronJob = docs.find((d) => d.kind === "CronJob");
  assert.equal(cronJob.spec.concurrencyPolicy, "Forbid");
  assert.equal(cronJob.spec.schedule.split(/\s+/).length, 5);
  const pod = podSpec(cronJob);
  const container = pod.containers[0];
  assert.deepEqual(container.command, ["kbc-storage-extract"]);
  assert.deepEqual(container.envFrom, [{ secretRef: { name: "kbc-storage-extract-tokens" } }]);
  assert.ok(!(container.env ?? []).some((e) => /TOKEN/.test(e.name) && e.value !== undefined), "a token as a literal env value");
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(pod.securityContext.runAsNonRoot, true);
  const args = container.args;
  assert.equal(args[args.indexOf("--state") + 1], "/state/");
  assert.ok(container.volumeMounts.some((m) => m.mountPath === "/state" && !m.readOnly));
  const claim = pod.volumes.find((v) => v.name === "state").persistentVolumeClaim.claimName;
  assert.ok(docs.some((d) => d.kind === "PersistentVolumeClaim" && d.metadata.name === claim));
  assertFlagsExist(args, "cronjob.yaml");
});

test("the Indexed Job: N of --shard auto/N equals completions and parallelism; a shared volume", () => {
  const docs = documents(path.join(k8sDir, "indexed-job.yaml"));
  const job = docs.find((d) => d.kind === "Job");
  assert.equal(job.spec.completionMode, "Indexed");
  const container = podSpec(job).containers[0];
  const shard = container.args[container.args.indexOf("--shard") + 1];
  assert.match(shard, /^auto\/\d+$/);
  const count = Number(shard.split("/")[1]);
  assert.equal(job.spec.completions, count);
  assert.equal(job.spec.parallelism, count);
  assert.equal(container.args[container.args.indexOf("--state") + 1], "/state/");
  const claim = podSpec(job).volumes.find((v) => v.name === "state").persistentVolumeClaim.claimName;
  const volume = docs.find((d) => d.kind === "PersistentVolumeClaim" && d.metadata.name === claim);
  assert.deepEqual(volume.spec.accessModes, ["ReadWriteMany"]);
  assert.deepEqual(container.envFrom, [{ secretRef: { name: "kbc-storage-extract-tokens" } }]);
  assertFlagsExist(container.args, "indexed-job.yaml");
});

test("the Secret example names the variables the tool reads and holds no real token", () => {
  const [secret] = documents(path.join(k8sDir, "secret.example.yaml"));
  assert.deepEqual(Object.keys(secret.stringData).sort(), ["KBC_DESTINATION_TOKEN", "KBC_SOURCE_TOKEN"]);
  for (const file of k8sFiles) assert.doesNotMatch(readFileSync(file, "utf8"), tokenShape, file);
});

test("the GitHub Actions workflow: scheduled, tokens from secrets, state kept, runs never overlap", () => {
  const file = path.join(examples, "github-actions", "kbc-storage-extract.yml");
  const text = readFileSync(file, "utf8");
  const workflow = parse(text);
  assert.doesNotMatch(text, tokenShape);
  assert.equal(workflow.on.schedule[0].cron.split(/\s+/).length, 5);
  assert.ok("workflow_dispatch" in workflow.on);
  assert.equal(workflow.concurrency["cancel-in-progress"], false);
  const steps = workflow.jobs.copy.steps;
  const run = steps.find((s) => typeof s.run === "string" && s.run.startsWith("kbc-storage-extract run"));
  assert.ok(run, "a step that runs kbc-storage-extract");
  assert.equal(run.env.KBC_SOURCE_TOKEN, "${{ secrets.KBC_SOURCE_TOKEN }}");
  assert.equal(run.env.KBC_DESTINATION_TOKEN, "${{ secrets.KBC_DESTINATION_TOKEN }}");
  assertFlagsExist(run.run.split(/\s+/), "github workflow");
  const restore = steps.find((s) => s.uses?.startsWith("actions/cache/restore@"));
  const save = steps.find((s) => s.uses?.startsWith("actions/cache/save@"));
  assert.ok(restore && save);
  assert.equal(save.if, "always()");
  assert.equal(restore.with.path, save.with.path);
  assert.ok(steps.indexOf(restore) < steps.indexOf(run) && steps.indexOf(run) < steps.indexOf(save));
  assert.equal(restore.with.path, "config/sales-eu.state.json");  // beside config/sales-eu.json
});

test("the GitLab CI job: scheduled, tokens from CI/CD variables, state cached always, runs never overlap", () => {
  const file = path.join(examples, "gitlab-ci", ".gitlab-ci.yml");
  const text = readFileSync(file, "utf8");
  const pipeline = parse(text);
  assert.doesNotMatch(text, tokenShape);
  assert.doesNotMatch(text, /KBC_(SOURCE|DESTINATION)_TOKEN\s*:/, "tokens belong in CI/CD variables, not in the file");
  const job = pipeline["kbc-storage-extract"];
  assert.ok(pipeline.stages.includes(job.stage));
  assert.ok(job.rules.some((r) => r.if.includes('$CI_PIPELINE_SOURCE == "schedule"')));
  assert.ok(job.resource_group);
  assert.equal(job.cache.when, "always");
  assert.equal(job.cache.paths[0], "config/$KBC_EXTRACT_CONFIG.state.json");
  const command = job.script.find((line) => line.startsWith("kbc-storage-extract run"));
  assert.ok(command);
  assert.ok(command.includes('"config/$KBC_EXTRACT_CONFIG.json"'));
  assertFlagsExist(command.split(/\s+/), "gitlab job");
  assert.equal(job.artifacts.when, "always");
});
