using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Poppy.Sdk.CloudFront;
using Poppy.Sdk.Fastly;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Docs.Snippets;

/// <summary>README.md.</summary>
internal static class Readme
{
    public static async Task QuickstartAsync(IServiceCollection services, IConfiguration configuration, PoppyClient poppy, ServiceSpec spec, string fastlyToken, string keyId, string secret, string certArn)
    {
        #region readme-quickstart
        services.AddPoppy(configuration)                    // flavors from the "Poppy" section
                .AddFastly("fastly", o => o.ApiToken = fastlyToken)
                .AddCloudFront("cloudfront", o => (o.AccessKeyId, o.SecretAccessKey, o.AcmCertificateArn) = (keyId, secret, certArn));

        var operation = await poppy.CreateServiceAsync(spec); // validated first; nothing is sent if invalid
        var service   = await operation.WaitForCompletionAsync();
        await poppy.PurgeAsync(service.ServiceId, PurgeRequest.ForUrls("/index.html"));
        #endregion
    }
}

#region composite-auditing-provider
public sealed partial class AuditingCdnProvider(ICdnProvider inner, ILogger<AuditingCdnProvider> audit) : DelegatingCdnProvider(inner)
{
    public override async Task<CdnOperation<ProviderServiceDetails>> CreateServiceAsync(string serviceId, ServiceSpec spec, CancellationToken cancellationToken = default)
    {
        Changing(audit, "create", serviceId, Name);
        return await base.CreateServiceAsync(serviceId, spec, cancellationToken);
    }

    public override async Task<CdnOperation> DeleteServiceAsync(ServiceReference service, CancellationToken cancellationToken = default)
    {
        Changing(audit, "delete", service.ServiceId, Name);
        return await base.DeleteServiceAsync(service, cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "{Change} {ServiceId} on {Provider}")]
    private static partial void Changing(ILogger logger, string change, string serviceId, string provider);
}
#endregion

/// <summary>docs/composite.md.</summary>
internal static class Composite
{
    public static PoppyClient Register(FastlyCdnProviderOptions options, ILogger<AuditingCdnProvider> auditLogger, PoppyClientOptions poppyOptions)
    {
        #region composite-auditing-registration
        // Registered in place of the vendor's provider, under its name:
        var fastly = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(options), options);
        var client = new PoppyClient([new AuditingCdnProvider(fastly, auditLogger)], poppyOptions);
        #endregion
        return client;
    }
}

/// <summary>docs/extending/writing-a-provider.md.</summary>
internal static class WritingAProvider
{
    public static (FastlyCdnProvider Fastly, CloudFrontCdnProvider CloudFront) WithoutDependencyInjection(FastlyCdnProviderOptions options, CloudFrontCdnProviderOptions cloudFrontOptions, TimeProvider time)
    {
        #region create-http-client
        var fastly = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(options), options);
        var cloudFront = new CloudFrontCdnProvider(CloudFrontCdnProvider.CreateHttpClient(cloudFrontOptions, time), cloudFrontOptions, time);
        #endregion
        return (fastly, cloudFront);
    }
}

/// <summary>An application's own handler, for the provider-builder examples.</summary>
public sealed class MyAuditHandler : DelegatingHandler;

/// <summary>docs/providers/cloudfront.md.</summary>
internal static class CloudFrontProvider
{
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        #region cloudfront-register
        var cloudFront = services.AddPoppy(configuration)
            .AddCloudFront(configuration.GetSection("CloudFront"));   // or AddCloudFront("cloudfront", o => { ... })
        // cloudFront.ProviderName == "cloudfront", cloudFront.HttpClientName == "Poppy.CloudFront.cloudfront":
        services.AddTransient<MyAuditHandler>();
        services.AddHttpClient(cloudFront.HttpClientName!).AddHttpMessageHandler<MyAuditHandler>();   // your own handlers sit inside the signer
        #endregion
        _ = new CloudFrontCdnProviderOptions();
    }
}
