import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, type MockCallArgs, type MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import * as runtimeState from "@pulumi/pulumi/runtime/state";
import { scriptHeader, type StepHeader } from "../../core/stepHeader";
import { unsecret } from "../../tools/mockEngine/engine";

/**
 * The one mock engine of the component tests: each test file calls `mockEngine()` once, at its
 * top, before it constructs a component; then reads back what the engine was told.
 *
 * The SDK's mocks hand `newResource` the inputs only, never the resource options. So the monitor
 * below records each registration as the engine receives it: type, name, inputs, parent,
 * dependencies (`dependsOn` plus inputs taken from other resources) and `retainOnDelete`.
 * `newResource` answers `{ id: name + "_id", state: inputs }` (plus what `computed` adds, for
 * values the cloud computes); `call` answers only the tokens a test file mocks and throws on any
 * other.
 */

export interface Registration {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** URN of the parent; "" for none. */
    readonly parent: string;
    readonly inputs: Record<string, any>;
    /** URNs this resource waits for. */
    readonly dependencies: string[];
    readonly retainOnDelete: boolean;
    /** Provider reference (`urn::id`), "" for the default provider. */
    readonly provider: string;
}

export interface Invocation {
    readonly token: string;
    readonly inputs: Record<string, any>;
    /** Provider reference (`urn::id`) the call went through, "" for the default provider. */
    readonly provider: string;
}

export type CallMock = (inputs: Record<string, any>) => Record<string, any>;

export interface MockEngineOptions {
    /** Answers per invoke token; any other token fails the call. */
    readonly calls?: Record<string, CallMock>;
    /** Output properties the cloud would compute on create, merged over the inputs. */
    readonly computed?: (args: MockResourceArgs) => Record<string, any>;
}

export interface MockEngine {
    readonly registrations: Registration[];
    readonly invocations: Invocation[];
    /** Waits until every registration and invoke issued so far has reached the engine. */
    settled(): Promise<void>;
    /** Resources whose parent is `component`, in registration order. */
    children(component: pulumi.Resource): Promise<Registration[]>;
    /** The one child of `component` with logical name `name`; throws when there is none. */
    child(component: pulumi.Resource, name: string): Promise<Registration>;
    /** What the engine was told about `resource`. */
    registrationOf(resource: pulumi.Resource): Promise<Registration>;
}

/** An output's value. (An un-awaited `apply` with an `expect` inside passes when it should fail.) */
export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((r) => output.apply(r));
}

/** The URNs of resources, for comparing with a registration's dependencies. */
export function urns(resources: readonly pulumi.Resource[]): Promise<string[]> {
    return Promise.all(resources.map((r) => resolve(r.urn)));
}

/** The `# step:` / `# destroy:` / `# kind:` / `# script:` header a command's create script declares. */
export function declared(command: Registration): Partial<StepHeader> {
    if (command.type !== "command:local:Command") throw new Error(`${command.name} is a ${command.type}, not a command`);
    return scriptHeader(command.inputs.create);
}

/** A resource that only stands for one the component is handed (a pod's label, a firewall rule). */
export class StandIn extends pulumi.CustomResource {
    constructor(name: string) {
        super("quarantine:test:StandIn", name, {});
    }
}

/** The URN the SDK's mock monitor gives a registration (its `newUrn` is private). */
function urnOf(parent: string, type: string, name: string): string {
    const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

class RecordingMonitor extends MockMonitor {
    readonly registrations: Registration[] = [];
    readonly invocations: Invocation[] = [];

    async registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        const urn = urnOf(req.getParent(), req.getType(), req.getName());
        if (this.registrations.some((r) => r.urn === urn)) {
            // The SDK's monitor would silently overwrite it.
            callback(new Error(`duplicate URN ${urn}`), undefined);
            return;
        }
        this.registrations.push({
            urn,
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            parent: req.getParent(),
            inputs: unsecret(pulumi.runtime.deserializeProperties(req.getObject())),
            dependencies: req.getDependenciesList(),
            retainOnDelete: req.getRetainondelete() === true,
            provider: req.getProvider(),
        });
        return super.registerResource(req, callback);
    }

    async readResource(_req: any, callback: (err: any, resp: any) => void): Promise<void> {
        callback(new Error("no component reads a resource; mock the read if one starts to"), undefined);
    }

    async invoke(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        this.invocations.push({ token: req.getTok(), inputs: pulumi.runtime.deserializeProperties(req.getArgs()), provider: req.getProvider() });
        return super.invoke(req, callback);
    }
}

export function mockEngine(options: MockEngineOptions = {}): MockEngine {
    const calls = options.calls ?? {};
    const monitor = new RecordingMonitor({
        newResource(args: MockResourceArgs) {
            return { id: `${args.name}_id`, state: { ...args.inputs, ...(options.computed?.(args) ?? {}) } };
        },
        call(args: MockCallArgs) {
            const answer = calls[args.token];
            if (!answer) throw new Error(`unmocked invoke ${args.token}`);
            return answer(args.inputs);
        },
    });
    pulumi.runtime.setMockOptions(monitor, "quarantine", "t", false, "organization");
    // What `setMocks` turns on; its store accessor is internal to the SDK.
    const store = (runtimeState as unknown as { getStore(): Record<string, unknown> }).getStore();
    Object.assign(store, {
        supportsSecrets: true,
        supportsResourceReferences: true,
        supportsOutputValues: false,
        supportsDeletedWith: true,
        supportsAliasSpecs: true,
    });

    const settled = () => (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    const registrationOf = async (resource: pulumi.Resource) => {
        const urn = await resolve(resource.urn);
        await settled();
        const r = monitor.registrations.find((x) => x.urn === urn);
        if (!r) throw new Error(`${urn} was never registered`);
        return r;
    };
    const children = async (component: pulumi.Resource) => {
        const urn = await resolve(component.urn);
        await settled();
        return monitor.registrations.filter((r) => r.parent === urn);
    };
    return {
        registrations: monitor.registrations,
        invocations: monitor.invocations,
        settled,
        children,
        registrationOf,
        async child(component, name) {
            const hits = (await children(component)).filter((r) => r.name === name);
            if (hits.length !== 1) {
                const all = (await children(component)).map((r) => r.name);
                throw new Error(`expected one child named ${name}, found ${hits.length} among ${JSON.stringify(all)}`);
            }
            return hits[0];
        },
    };
}
