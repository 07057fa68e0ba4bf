/**
 * The go-templates with which `cluster-policy-check.create.sh` reads the policy kinds that a
 * NetworkPolicy deny-all can't override, through kubectl (no jq on a responder's machine). Each
 * prints one line per policy (per rule, for Cilium's `specs`), tab-separated:
 *
 *     name and detail \t pod selector \t namespace selector \t what it allows ("" = nothing)
 *
 * A Kubernetes LabelSelector is printed as `{k=v;k|Operator|v1,v2;}` (`{}` selects everything),
 * which the script evaluates against the quarantined pods' live labels and their namespace's;
 * `-` selects no pod. Calico's selectors are its own expression language and are printed as
 * written, after an `@`. Only rules that let traffic through are described; denies are skipped.
 *
 * Why each kind can beat the deny-all, from its documentation:
 * - Calico `GlobalNetworkPolicy` (crd.projectcalico.org/v1; `spec.selector`,
 *   `spec.namespaceSelector`, `spec.order`, rules with `action` Allow/Deny/Log/Pass): tiers and
 *   policies are evaluated in order, an Allow ends evaluation, and a Pass skips the rest of its
 *   tier, the deny-all with it; the Kubernetes NetworkPolicies sit in the default tier
 *   (https://docs.tigera.io/calico/latest/reference/resources/globalnetworkpolicy,
 *   https://docs.tigera.io/calico/latest/reference/resources/tier "How policy is evaluated").
 *   Both are reported; an Allow in a policy ordered after the deny-all still wins, since a policy
 *   with no matching rule takes no action.
 * - Cilium `CiliumClusterwideNetworkPolicy` (cilium.io/v2; `spec` or `specs`, each with an
 *   `endpointSelector` or a `nodeSelector` and `ingress`/`egress` allow rules): policies are
 *   allow-lists and add up, so any allow rule selecting the pod opens what it names
 *   (https://docs.cilium.io/en/stable/security/policy/intro/). A `nodeSelector` rule is a host
 *   policy and selects no pod. `egressDeny`/`ingressDeny` only deny.
 * - `AdminNetworkPolicy` (policy.networking.k8s.io/v1alpha1; `spec.priority`, `spec.subject`
 *   `namespaces` or `pods`, rules with `action` Allow/Deny/Pass): every ANP rule is evaluated
 *   before any NetworkPolicy, and an Allow ends evaluation
 *   (https://network-policy-api.sigs.k8s.io/reference/spec/). A Pass hands the traffic to the
 *   NetworkPolicies, where the deny-all holds, so it is not reported.
 * - `BaselineAdminNetworkPolicy` is evaluated after NetworkPolicy (same page): a pod that a
 *   NetworkPolicy selects is decided there, so the deny-all wins and it is not read.
 * - GKE `FQDNNetworkPolicy` (networking.gke.io, namespaced; `spec.podSelector`, egress
 *   `matches` of `name`/`pattern`, or the open-source controller's `to[].fqdns`): an allow-list
 *   added to the NetworkPolicies selecting the pod
 *   (https://cloud.google.com/kubernetes-engine/docs/how-to/fqdn-network-policies).
 */

/** One `{k=v;k|Op|v1,v2;}` for the LabelSelector given as dot; `{}` when empty or absent. */
const SEL =
    '{{define "sel"}}{{"{"}}{{with .}}{{range $k, $v := .matchLabels}}{{$k}}={{$v}};{{end}}' +
    '{{range .matchExpressions}}{{.key}}|{{.operator}}|{{range $i, $v := .values}}{{if $i}},{{end}}{{$v}}{{end}};{{end}}{{end}}{{"}"}}{{end}}';

/** Ports of a NetworkPolicy-style list (`protocol`, `port`, `endPort`), after " ports". */
const NP_PORTS = '{{define "ports"}}{{with .}} ports{{range .}} {{or .protocol "TCP"}}/{{or .port "all"}}{{with .endPort}}-{{.}}{{end}}{{end}}{{end}}{{end}}';

const ANP_PEERS =
    '{{define "anpPeers"}}{{range $i, $p := .}}{{if $i}},{{end}}' +
    "{{if $p.networks}} networks{{range $p.networks}} {{.}}{{end}}" +
    "{{else if $p.domainNames}} domains{{range $p.domainNames}} {{.}}{{end}}" +
    '{{else if $p.nodes}} nodes {{template "sel" $p.nodes}}' +
    '{{else if $p.pods}} pods {{template "sel" $p.pods.podSelector}} in namespaces {{template "sel" $p.pods.namespaceSelector}}' +
    '{{else}} namespaces {{template "sel" $p.namespaces}}{{end}}{{end}}{{end}}' +
    '{{define "anpPorts"}}{{with .}} ports{{range .}} {{with .portNumber}}{{or .protocol "TCP"}}/{{.port}}{{end}}' +
    '{{with .portRange}}{{or .protocol "TCP"}}/{{.start}}-{{.end}}{{end}}{{with .namedPort}}{{.}}{{end}}{{end}}{{end}}{{end}}';

export const ANP_TEMPLATE =
    SEL +
    ANP_PEERS +
    '{{range .items}}{{.metadata.name}} (priority {{.spec.priority}})\t' +
    '{{with .spec.subject.pods}}{{template "sel" .podSelector}}\t{{template "sel" .namespaceSelector}}{{else}}{}\t{{template "sel" .spec.subject.namespaces}}{{end}}\t' +
    '{{range .spec.egress}}{{if eq .action "Allow"}}egress rule "{{.name}}" to{{template "anpPeers" .to}}{{template "anpPorts" .ports}}; {{end}}{{end}}' +
    '{{range .spec.ingress}}{{if eq .action "Allow"}}ingress rule "{{.name}}" from{{template "anpPeers" .from}}{{template "anpPorts" .ports}}; {{end}}{{end}}\n{{end}}';

const CALICO_ENTITY =
    '{{define "entity"}}{{with .nets}} nets{{range .}} {{.}}{{end}}{{end}}{{with .selector}} endpoints ({{.}}){{end}}' +
    "{{with .domains}} domains{{range .}} {{.}}{{end}}{{end}}{{with .services}} service {{.namespace}}/{{.name}}{{end}}" +
    "{{with .ports}} ports{{range .}} {{.}}{{end}}{{end}}{{end}}";

export const CALICO_TEMPLATE =
    CALICO_ENTITY +
    "{{range .items}}{{.metadata.name}} (order {{with .spec.order}}{{.}}{{else}}unset{{end}}{{with .spec.tier}}, tier {{.}}{{end}})\t" +
    "@{{with .spec.selector}}{{.}}{{end}}\t@{{with .spec.namespaceSelector}}{{.}}{{end}}\t" +
    '{{range .spec.egress}}{{if or (eq .action "Allow") (eq .action "Pass")}}egress {{.action}}{{with .protocol}} {{.}}{{end}} to' +
    '{{if .destination}}{{template "entity" .destination}}{{else}} anywhere{{end}}; {{end}}{{end}}' +
    '{{range .spec.ingress}}{{if or (eq .action "Allow") (eq .action "Pass")}}ingress {{.action}}{{with .protocol}} {{.}}{{end}} from' +
    '{{if .source}}{{template "entity" .source}}{{else}} anywhere{{end}}; {{end}}{{end}}\n{{end}}';

const CILIUM_RULE =
    '{{define "ciliumPeers"}}{{with .toEntities}} entities{{range .}} {{.}}{{end}}{{end}}{{with .fromEntities}} entities{{range .}} {{.}}{{end}}{{end}}' +
    "{{with .toCIDR}} cidr{{range .}} {{.}}{{end}}{{end}}{{with .fromCIDR}} cidr{{range .}} {{.}}{{end}}{{end}}" +
    "{{with .toCIDRSet}} cidr{{range .}} {{.cidr}}{{end}}{{end}}{{with .fromCIDRSet}} cidr{{range .}} {{.cidr}}{{end}}{{end}}" +
    "{{with .toFQDNs}} fqdns{{range .}} {{or .matchName .matchPattern}}{{end}}{{end}}" +
    "{{with .toEndpoints}} endpoints{{end}}{{with .fromEndpoints}} endpoints{{end}}{{with .toServices}} services{{end}}" +
    "{{with .toGroups}} groups{{end}}{{with .toNodes}} nodes{{end}}{{with .fromNodes}} nodes{{end}}" +
    '{{with .toPorts}} ports{{range .}}{{range .ports}} {{or .protocol "ANY"}}/{{.port}}{{end}}{{end}}{{end}}' +
    "{{if not .}} (an empty rule){{end}}{{end}}" +
    '{{define "cilium"}}\t{{with .endpointSelector}}{{template "sel" .}}{{else}}{{if or .nodeSelector (eq (printf "%v" .nodeSelector) "map[]")}}-{{else}}{}{{end}}{{end}}\t{}\t' +
    '{{range .egress}}egress to{{template "ciliumPeers" .}}; {{end}}{{range .ingress}}ingress from{{template "ciliumPeers" .}}; {{end}}\n{{end}}';

export const CILIUM_TEMPLATE =
    SEL +
    CILIUM_RULE +
    '{{range .items}}{{$n := .metadata.name}}{{with .spec}}{{$n}}{{template "cilium" .}}{{end}}' +
    '{{range $i, $s := .specs}}{{$n}} (specs[{{$i}}]){{template "cilium" $s}}{{end}}{{end}}';

export const FQDN_TEMPLATE =
    SEL +
    NP_PORTS +
    '{{range .items}}{{.metadata.name}}\t{{template "sel" .spec.podSelector}}\t{}\t' +
    "{{range .spec.egress}}egress to{{range .matches}} {{or .name .pattern}}{{end}}{{range .to}}{{range .fqdns}} {{.}}{{end}}{{end}}" +
    '{{template "ports" .ports}}; {{end}}\n{{end}}';

/** The quarantined pods of a namespace: `name \t serviceAccount \t k=v k=v…`. */
export const POD_LABELS_TEMPLATE =
    '{{range .items}}{{.metadata.name}}\t{{or .spec.serviceAccountName "default"}}\t{{range $k, $v := .metadata.labels}}{{$k}}={{$v}} {{end}}\n{{end}}';

/** Every template the script reads, by its environment variable. */
export const CLUSTER_POLICY_TEMPLATES = {
    ANP_TEMPLATE,
    CALICO_TEMPLATE,
    CILIUM_TEMPLATE,
    FQDN_TEMPLATE,
} as const;
