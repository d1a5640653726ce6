namespace Poppy.Sdk.Testing;

/// <summary>Options of <see cref="InMemoryCdnProvider"/>.</summary>
public sealed class InMemoryCdnProviderOptions
{
    /// <summary>The provider's name. Default <c>memory</c>.</summary>
    public string Name { get; set; } = "memory";

    /// <summary>What the provider honours (and enforces). Default: everything, asynchronous.</summary>
    public CdnCapabilities Capabilities { get; set; } = CdnCapabilities.Everything with { AsynchronousDeployment = true };

    /// <summary>How long a create, update or delete takes to deploy on <see cref="TimeProvider"/>. Default 30 s; zero deploys at once.</summary>
    public TimeSpan DeploymentDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The host suffix of access URLs (<c>www-example-com.cdn.memory.test</c>). Default <c>cdn.memory.test</c>.</summary>
    public string AccessUrlSuffix { get; set; } = "cdn.memory.test";

    /// <summary>Services per page when listing. Default 10.</summary>
    public int PageSize { get; set; } = 10;

    /// <summary>The clock deployments run on. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
