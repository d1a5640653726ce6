using Poppy.Sdk.Models;
using Poppy.Sdk.Validation.Internal;

namespace Poppy.Sdk.Validation;

/// <summary>Whether a spec is being created or updated (defaults differ: caching is defaulted on create only).</summary>
public enum ValidationMode
{
    /// <summary>A new service: an absent caching list gets the default rule.</summary>
    Create = 0,

    /// <summary>An update: absent caching stays absent (all caching may be removed).</summary>
    Update = 1,
}

/// <summary>The outcome of validating a spec.</summary>
public sealed record ValidationResult
{
    /// <summary>Every problem found; empty when valid.</summary>
    public required IReadOnlyList<ValidationProblem> Problems { get; init; }

    /// <summary>
    /// Things accepted but worth telling (for example a <c>hostheadervalue</c> ignored because
    /// <c>hostheadertype</c> is <c>origin</c>, as OpenStack Poppy ignored it). Warnings never make a spec invalid.
    /// </summary>
    public IReadOnlyList<ValidationProblem> Warnings { get; init; } = [];

    /// <summary>The spec with defaults applied and values normalised; null when invalid.</summary>
    public ServiceSpec? Normalized { get; init; }

    /// <summary>Whether the spec is valid.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>Returns the normalised spec or throws every problem at once.</summary>
    /// <returns>The normalised spec.</returns>
    /// <exception cref="CdnValidationException">The spec is invalid.</exception>
    public ServiceSpec GetNormalizedOrThrow() => IsValid && Normalized is not null ? Normalized : throw new CdnValidationException(Problems);
}

/// <summary>
/// Validates a Poppy service document on the client (no network calls) and applies Poppy's
/// defaults. Every problem is reported at once, each with its path.
/// </summary>
public static class ServiceSpecValidator
{
    /// <summary>
    /// Validates a spec against every rule of the Poppy model and normalises it. Nothing throws for bad
    /// input (including nulls inside a deserialized document): every problem is returned, each with a
    /// JSON-pointer-like path such as <c>/origins/1/port</c>.
    /// </summary>
    /// <remarks>
    /// The normalised spec has: the name and flavor id trimmed; domains, referrers and host names
    /// trimmed, lower-cased and in punycode (<c>bücher.example.com</c> → <c>xn--bcher-kva.example.com</c>);
    /// <c>{default, /*}</c> on a first origin or caching rule without rules; on
    /// <see cref="ValidationMode.Create"/>, absent caching replaced by <c>{default, 86400, [{default, /*}]}</c>;
    /// restriction rules without a request URL set to <c>/*</c>; the host header value of an
    /// <see cref="HostHeaderType.Origin"/> origin set to the origin host. Geography names are kept as
    /// written; resolve them with <see cref="GeographyCatalog.TryResolve"/>.
    /// </remarks>
    /// <param name="spec">The spec as written.</param>
    /// <param name="mode">Create (defaults caching) or update.</param>
    /// <returns>The problems, and the normalised spec when valid.</returns>
    public static ValidationResult Validate(ServiceSpec spec, ValidationMode mode = ValidationMode.Create)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (mode is not (ValidationMode.Create or ValidationMode.Update))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use ValidationMode.Create or ValidationMode.Update.");
        }

        var validation = new SpecValidation(mode);
        var normalized = validation.Run(spec);
        return validation.Problems.Count == 0
            ? new ValidationResult { Problems = [], Warnings = validation.Warnings, Normalized = normalized }
            : new ValidationResult { Problems = validation.Problems, Warnings = validation.Warnings };
    }
}
