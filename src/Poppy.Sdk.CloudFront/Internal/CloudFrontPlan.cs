using System.Globalization;
using Poppy.Sdk.CloudFront.Internal.Xml;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>The viewer-request CloudFront Function a spec needs: its name, its program, and the exact code to publish.</summary>
/// <param name="Name">The function's name (see <see cref="CloudFrontTranslator.FunctionName"/>).</param>
/// <param name="Program">The restriction program the code carries.</param>
/// <param name="Code">The code, as published.</param>
internal sealed record ViewerFunction(string Name, RestrictionProgram Program, string Code);

/// <summary>
/// What a spec becomes on CloudFront, worked out offline by <see cref="CloudFrontTranslator.Plan"/>: the distribution
/// config (without function associations: the function's ARN exists only once it is published), the function to publish,
/// and the tags to stamp. <see cref="Resolve"/> is the second, pure step that joins the two at apply time.
/// </summary>
/// <param name="Config">The distribution config; its behaviours carry no function association.</param>
/// <param name="Function">The viewer-request function, when the spec has referrer or client-IP restrictions.</param>
/// <param name="Tags">The stamp and manifest tags.</param>
internal sealed record CloudFrontPlan(DistributionConfig Config, ViewerFunction? Function, IReadOnlyList<KeyValuePair<string, string>> Tags)
{
    /// <summary>
    /// The config to send once the function is published: a copy of <see cref="Config"/> with every behaviour associated
    /// with <paramref name="functionArn"/> on the viewer-request event. <see cref="Config"/> itself is not changed.
    /// </summary>
    /// <param name="functionArn">The published function's ARN; null exactly when the plan has no function.</param>
    /// <returns>The config.</returns>
    /// <exception cref="InvalidOperationException">The ARN is missing for a plan with a function, or given for one without.</exception>
    public DistributionConfig Resolve(string? functionArn)
    {
        if ((Function is null) != (functionArn is null))
        {
            throw new InvalidOperationException(Function is null
                ? "This plan has no viewer-request function; no function ARN can be associated."
                : $"The plan's function '{Function.Name}' must be published and its ARN given before the config is sent.");
        }

        var config = Config.Copy();
        if (functionArn is not null)
        {
            var association = new FunctionAssociation(functionArn, ViewerRequestFunction.EventType);
            foreach (var behavior in config.CacheBehaviors.Append(config.DefaultCacheBehavior))
            {
                behavior.FunctionAssociations = [association];
            }
        }

        return config;
    }

    /// <summary>The vendor-native documents of the plan: the <c>DistributionConfig</c> XML and, when there is one, the function's code.</summary>
    /// <returns>The documents.</returns>
    public IReadOnlyList<PlanDocument> Documents()
    {
        var documents = new List<PlanDocument> { new("DistributionConfig", "application/xml", CloudFrontXml.DistributionConfig(Config)) };
        if (Function is not null)
        {
            documents.Add(new PlanDocument("viewer-request function " + Function.Name, "application/javascript", Function.Code));
        }

        return documents;
    }

    /// <summary>One line saying what would be provisioned.</summary>
    /// <returns>The summary.</returns>
    public string Summary() => string.Create(
        CultureInfo.InvariantCulture,
        $"one distribution with {Config.Aliases.Count} alias(es), {Config.Origins.Count} origin(s), {Config.CacheBehaviors.Count + 1} cache behaviour(s), geo restriction {Config.GeoRestriction?.RestrictionType ?? "none"}")
        + (Function is null ? "; no function" : $"; viewer-request function {Function.Name} ({ViewerRequestFunction.Size(Function.Code)} bytes) associated with every behaviour at apply");
}
