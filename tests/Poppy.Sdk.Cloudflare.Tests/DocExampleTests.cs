using Poppy.Sdk.Models;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>The code shown in docs/providers/cloudflare.md and the package README, run against the in-test fake zone.</summary>
public class DocExampleTests
{
    [Fact]
    public async Task WithoutDi_CreateAndReadValidationRecords_AsDocumented()
    {
        var zone = new FakeCloudflare();
        var (token, zoneId) = (FakeCloudflare.Token, FakeCloudflare.ZoneId);
        var spec = TestSpecs.Simple() with { Domains = [new DomainSpec("www.example.com", DomainProtocol.Https, CertificateKind.Sni)] };

        #region cloudflare-without-di
        var options = new CloudflareCdnProviderOptions
        {
            ApiToken = token,                       // scoped API token, from a secret store
            ZoneId = zoneId,                        // the Cloudflare for SaaS zone
            CnameTarget = "customers.saas.example", // what customer domains CNAME to
            Plan = CloudflarePlanTier.Pro,
        };
        var cloudflare = new CloudflareCdnProvider(CloudflareCdnProvider.CreateHttpClient(options, zone), options);
        var operation = await cloudflare.CreateServiceAsync("shop", spec);
        if (!operation.HasCompleted)
        {
            // The domain owner must publish these before Cloudflare can activate the hostname and issue its certificate.
            foreach (var domain in await cloudflare.GetDomainValidationsAsync(new ServiceReference("shop")))
            {
                foreach (var record in domain.Records)
                {
                    Console.WriteLine($"{domain.Domain}: {record.Purpose} {record.Type} {record.Name} = {record.Value}");
                }
            }
        }
        #endregion

        Assert.False(operation.HasCompleted);
        Assert.Equal(2, (await cloudflare.GetDomainValidationsAsync(new ServiceReference("shop"))).Single().Records.Count);
    }
}
