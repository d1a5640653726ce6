using static Poppy.Sdk.ProviderStatus;

namespace Poppy.Sdk.Abstractions.Tests;

public class ServiceStatusTests
{
    public static TheoryData<ProviderStatus[], ProviderStatus> Cases => new()
    {
        { [], CreateInProgress },
        { [Deployed], Deployed },
        { [Deployed, Deployed], Deployed },
        { [CreateInProgress], CreateInProgress },
        { [Deployed, CreateInProgress], CreateInProgress },
        { [CreateInProgress, Deployed], CreateInProgress },
        { [Deployed, UpdateInProgress], UpdateInProgress },
        { [Deployed, DeleteInProgress], DeleteInProgress },
        { [CreateInProgress, UpdateInProgress], UpdateInProgress },
        { [UpdateInProgress, CreateInProgress], UpdateInProgress },
        { [UpdateInProgress, DeleteInProgress], DeleteInProgress },
        { [CreateInProgress, DeleteInProgress], DeleteInProgress },
        { [Failed], Failed },
        { [Deployed, Failed], Failed },
        { [Failed, DeleteInProgress], Failed },
        { [CreateInProgress, UpdateInProgress, DeleteInProgress, Failed], Failed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Derive_ProviderStatuses_ReturnsServiceStatus(ProviderStatus[] providers, ProviderStatus expected) =>
        Assert.Equal(expected, ServiceStatus.Derive(providers));

    [Fact]
    public void Derive_Null_Throws() =>
        Assert.Throws<ArgumentNullException>(() => ServiceStatus.Derive(null!));

    [Fact]
    public void Derive_CreateInProgressOnly_IsNotShownAsDeployed() =>
        Assert.NotEqual(Deployed, ServiceStatus.Derive([CreateInProgress, CreateInProgress]));

    [Fact]
    public void CdnServiceStatus_DerivedFromProviders()
    {
        var service = new CdnService
        {
            ServiceId = "svc-1",
            Spec = Specs.Minimal(),
            Providers =
            [
                new ProviderServiceDetails { Provider = "fastly", ServiceId = "svc-1", Status = Deployed },
                new ProviderServiceDetails { Provider = "cloudfront", ServiceId = "svc-1", Status = UpdateInProgress },
            ],
        };

        Assert.Equal(UpdateInProgress, service.Status);
        Assert.Equal(CreateInProgress, (service with { Providers = [] }).Status);
    }
}
