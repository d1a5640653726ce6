namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>
/// What a spec becomes on Cloudflare, worked out offline by <see cref="CloudflarePlanner"/>: the public plan and, when it
/// is valid, the custom hostnames and rules apply writes.
/// </summary>
/// <param name="Plan">The public plan.</param>
/// <param name="Config">The hostnames and rules; null when the plan is invalid.</param>
internal sealed record CloudflarePlan(ProviderPlan Plan, CloudflareConfig? Config);
