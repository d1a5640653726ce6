namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// What a spec becomes on Fastly, worked out offline by <see cref="FastlyPlanner"/>: the public plan and, when it is
/// valid, the objects it was made from (what create and update deploy).
/// </summary>
/// <param name="Plan">The public plan.</param>
/// <param name="Config">The Fastly objects; null when the plan is invalid.</param>
internal sealed record FastlyPlan(ProviderPlan Plan, FastlyConfig? Config);
