import { anonymousAllowed } from "./anonymousAllowed";
import { csrApproval } from "./csrApproval";
import { ephemeralContainer } from "./ephemeralContainer";
import { kubeSystemWrite } from "./kubeSystemWrite";
import { nodeCpu } from "./nodeCpu";
import { nodeSsh } from "./nodeSsh";
import { podExec } from "./podExec";
import { privilegedBinding } from "./privilegedBinding";
import { privilegedPod } from "./privilegedPod";
import { privilegedWorkload } from "./privilegedWorkload";
import { secretRead } from "./secretRead";
import type { Signal } from "./signal";
import { tokenCreation } from "./tokenCreation";
import { untrustedIp } from "./untrustedIp";

export type { LogSignal, MetricSignal, Signal, SignalContext } from "./signal";

/** Every detection signal of the seeds (issue #13 point 2), one alert policy each. */
export const SIGNALS: readonly Signal[] = [
    podExec,
    secretRead,
    privilegedBinding,
    anonymousAllowed,
    privilegedPod,
    privilegedWorkload,
    kubeSystemWrite,
    csrApproval,
    tokenCreation,
    ephemeralContainer,
    nodeSsh,
    untrustedIp,
    nodeCpu,
];
