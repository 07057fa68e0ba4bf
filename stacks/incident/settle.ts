import * as pulumi from "@pulumi/pulumi";

/**
 * The value of a read. Reads and invokes are known during preview; an unknown here means the
 * engine could not read the object, and the quarantine must not be declared from a guess.
 */
export async function settle<T>(o: pulumi.Output<T>, what: string): Promise<T> {
    const impl = o as unknown as { isKnown: Promise<boolean>; promise(): Promise<T> };
    const [known, value] = await Promise.all([impl.isKnown, impl.promise()]);
    if (!known) {
        throw new Error(`${what}: its state is not known during this preview; run \`pulumi preview --refresh\``);
    }
    return value;
}
