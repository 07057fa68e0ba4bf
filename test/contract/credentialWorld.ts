import type { Recorded, RunResult } from "../../tools/mockEngine/engine";
import { runIncident } from "../../tools/mockEngine/engine";
import { sampleCluster } from "../../tools/mockEngine/sampleCluster";
import { emptyIam, GoogleIamFake } from "../fakes/googleIam";
import { emptyStorage, StorageFake } from "../fakes/storage";
import { Fakes, TOKENS, type ScriptResult } from "../fakes/tools";
import { CONTEXT, INCIDENT, levelConfig } from "./scenario";

/**
 * The stolen-credential steps' world for the contract tests: the Kubernetes fake with RBAC
 * objects, the Google IAM / Resource Manager / Logging fake, and the Cloud Storage fake the
 * records upload to, all reached by the real kubectl and gcloud.
 */

export const GSA = "web-app@acme-prod.iam.gserviceaccount.com";
export const KEY_ON = "1111111111111111111111111111111111111111";
export const KEY_OFF = "2222222222222222222222222222222222222222";
export const KEY_SYSTEM = "3333333333333333333333333333333333333333";
export const WI_MEMBER = "serviceAccount:acme-prod.svc.id.goog[default/web]";
export const PRINCIPALS = ["serviceaccount:default/web", "user:mallory@acme.com", `gsa:${GSA}`];

const RBAC = "rbac.authorization.k8s.io";
const sa = (name: string, namespace = "default") => ({ kind: "ServiceAccount", name, namespace });
const user = (name: string) => ({ apiGroup: RBAC, kind: "User", name });
const group = (name: string) => ({ apiGroup: RBAC, kind: "Group", name });

export class CredentialWorld {
    private constructor(
        readonly fakes: Fakes,
        readonly iam: GoogleIamFake,
        readonly storage: StorageFake,
        readonly plan: RunResult,
    ) {}

    static async start(level = "isolate", principals = PRINCIPALS, extra: Record<string, string> = {}): Promise<CredentialWorld> {
        const cluster = sampleCluster();
        const fakes = await Fakes.start(cluster, CONTEXT);
        const iam = new GoogleIamFake(emptyIam(cluster.project), TOKENS.compute);
        const storage = new StorageFake(emptyStorage(), TOKENS.compute);
        await iam.start();
        await storage.start();
        const config = levelConfig(level, cluster, { "quarantine:credentials": JSON.stringify(principals), ...extra });
        const plan = await runIncident({ cluster, config, stack: `incident-${INCIDENT}` });
        const w = new CredentialWorld(fakes, iam, storage, plan);
        w.seed();
        return w;
    }

    private seed(): void {
        const k = this.fakes.kube;
        k.put("serviceaccounts", { metadata: { name: "web", namespace: "default" } });
        k.put("roles", { metadata: { name: "edit", namespace: "default" }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "update"] }] });
        k.put("clusterroles", { metadata: { name: "view" }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }] });
        k.put("clusterroles", { metadata: { name: "cluster-admin" }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] });
        k.put("rolebindings", { metadata: { name: "web-edit", namespace: "default" }, roleRef: { apiGroup: RBAC, kind: "Role", name: "edit" }, subjects: [sa("web"), user("alice@acme.com")] });
        k.put("clusterrolebindings", { metadata: { name: "web-view" }, roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "view" }, subjects: [sa("web")] });
        k.put("clusterrolebindings", { metadata: { name: "all-view" }, roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "view" }, subjects: [group("system:authenticated")] });
        k.put("clusterrolebindings", { metadata: { name: "mallory-admin" }, roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "cluster-admin" }, subjects: [user("mallory@acme.com")] });
        // Another namespace's `web`: the same name is not the same service account.
        k.put("rolebindings", { metadata: { name: "web-edit", namespace: "payments" }, roleRef: { apiGroup: RBAC, kind: "Role", name: "edit" }, subjects: [sa("web", "payments")] });

        this.iam.addAccount(GSA, {
            keys: [
                { id: KEY_ON, type: "USER_MANAGED" },
                { id: KEY_OFF, type: "USER_MANAGED", disabled: true },
                { id: KEY_SYSTEM, type: "SYSTEM_MANAGED" },
            ],
            policy: {
                version: 1,
                etag: "BwWKmjvelug=",
                bindings: [
                    { role: "roles/iam.workloadIdentityUser", members: [WI_MEMBER] },
                    { role: "roles/iam.serviceAccountTokenCreator", members: ["user:bob@acme.com"] },
                ],
            },
        });
        this.iam.state.projectPolicy.bindings = [
            { role: "roles/storage.admin", members: [`serviceAccount:${GSA}`] },
            { role: "roles/viewer", members: ["user:mallory@acme.com", "user:bob@acme.com"] },
        ];
        const now = Date.now();
        const at = (hoursAgo: number) => new Date(now - hoursAgo * 3600_000).toISOString();
        const entry = (insertId: string, hoursAgo: number, auth: Record<string, unknown>, method: string) => ({
            insertId,
            logName: "projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity",
            timestamp: at(hoursAgo),
            protoPayload: { "@type": "type.googleapis.com/google.cloud.audit.AuditLog", authenticationInfo: auth, methodName: method },
        });
        this.iam.state.entries = [
            entry("sa-1", 2, { principalEmail: "system:serviceaccount:default:web" }, "io.k8s.core.v1.secrets.list"),
            entry("wi-1", 3, { principalEmail: GSA, serviceAccountDelegationInfo: [{ principalSubject: WI_MEMBER }] }, "storage.objects.get"),
            entry("gsa-old", 24 * 45, { principalEmail: GSA }, "storage.objects.get"),
            entry("other-1", 1, { principalEmail: "bob@acme.com" }, "storage.objects.get"),
            entry("mallory-1", 5, { principalEmail: "mallory@acme.com" }, "io.k8s.core.v1.pods.exec.create"),
        ];
        // The bucket the stack would have created, under the name the program gave it.
        const bucket = this.plan.resources.find((r) => r.type === "gcp:storage/bucket:Bucket")!.inputs.name as string;
        this.storage.state.buckets[bucket] = { project: "acme-prod", metageneration: 1, resource: { name: bucket, location: "US-CENTRAL1", storageClass: "STANDARD" } };
    }

    /** The program's credential steps, as recorded (records first, then revocations, then one-way). */
    steps(prefix: string): Recorded[] {
        return this.plan.resources.filter((r) => r.custom && r.name.startsWith(`42/credentials/${prefix}`));
    }

    step(name: string): Recorded {
        const hits = this.plan.resources.filter((r) => r.name === `42/credentials/${name}`);
        if (hits.length !== 1) throw new Error(`expected one step 42/credentials/${name}, found ${hits.length}`);
        return hits[0];
    }

    /** Runs a command's create or delete as the command provider would, against every fake; `stdout` is the create's, from state. */
    run(r: Recorded, phase: "create" | "delete", stdout?: string): Promise<ScriptResult> {
        const env = this.fakes.env({
            ...r.inputs.environment,
            ...this.iam.endpoints(),
            CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE: `${this.storage.base}/storage/v1/`,
            ...(r.inputs.addPreviousOutputInEnv === true && stdout !== undefined ? { PULUMI_COMMAND_STDOUT: stdout } : {}),
        });
        return this.fakes.run(phase === "create" ? r.inputs.create : r.inputs.delete, env);
    }

    /** Runs a create and fails with its stderr unless it exits 0. */
    async create(r: Recorded): Promise<string> {
        const out = await this.run(r, "create");
        if (out.code !== 0) throw new Error(`${r.name} exited ${out.code}:\n${out.stderr}`);
        return out.stdout;
    }

    async delete(r: Recorded, stdout: string): Promise<string> {
        const out = await this.run(r, "delete", stdout);
        if (out.code !== 0) throw new Error(`delete of ${r.name} exited ${out.code}:\n${out.stderr}`);
        return out.stdout;
    }

    /** The uploaded object whose name ends with `/<file>` under the principal's prefix. */
    object(prefix: string, file: string): string | undefined {
        return Object.values(this.storage.state.objects).find((o) => o.name.startsWith(prefix) && o.name.endsWith(`/${file}`))?.data;
    }

    subjects(resource: string, ns: string, name: string): unknown[] | undefined {
        return this.fakes.kube.get(resource, ns, name)?.subjects;
    }

    violations(): string[] {
        return [...this.fakes.violations(), ...this.iam.violations, ...this.storage.violations];
    }

    async close(): Promise<void> {
        await Promise.all([this.fakes.close(), this.iam.close(), this.storage.close()]);
    }
}
