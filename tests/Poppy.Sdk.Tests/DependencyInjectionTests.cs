using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Tests;

public sealed class DependencyInjectionTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    private static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void AddPoppy_FromConfiguration_BindsFlavorsAndResolvesClient()
    {
        using var sp = Build(s => s.AddPoppy(Config(
                ("Poppy:Flavors:global:Mode", "Mirror"),
                ("Poppy:Flavors:global:Providers:0", "one"),
                ("Poppy:Flavors:global:Providers:1", "two"),
                ("Poppy:CircuitBreaker:BreakDuration", "00:01:00")))
            .AddInMemoryProvider("one")
            .AddInMemoryProvider("two"));

        sp.GetRequiredService<IStartupValidator>().Validate();
        var client = sp.GetRequiredService<PoppyClient>();

        Assert.Equal(["one", "two"], client.ProviderNames.Order());
        var options = sp.GetRequiredService<IOptions<PoppyClientOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(1), options.CircuitBreaker.BreakDuration);
        Assert.Equal(["one", "two"], options.Flavors["global"].Providers);
    }

    [Fact]
    public void AddInMemoryProvider_ReturnsAProviderBuilderLikeEveryVendor()
    {
        var services = new ServiceCollection();

        var added = services.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "one")).AddInMemoryProvider("one");

        Assert.Equal("one", added.ProviderName);
        Assert.Null(added.HttpClientName);
        Assert.Same(services, added.Services);
    }

    [Fact]
    public void AddPoppy_FlavorNamesUnregisteredProvider_FailsAtStartWithClearMessage()
    {
        using var sp = Build(s => s.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "fastly")).AddInMemoryProvider("one"));

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Poppy:Flavors:global:Providers:0: provider 'fastly' is not registered (registered: one)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPoppy_UnknownConfigurationKey_FailsAtStart()
    {
        using var sp = Build(s => s.AddPoppy(Config(
                ("Poppy:Flavors:global:Providers:0", "one"),
                ("Poppy:Flavours:typo", "x")))
            .AddInMemoryProvider("one"));

        var ex = Assert.ThrowsAny<InvalidOperationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Flavours", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPoppy_VendorSectionInsidePoppy_ErrorNamesTheConfigurationPathAndTheLayout()
    {
        using var sp = Build(s => s.AddPoppy(Config(
                ("Poppy:Flavors:global:Providers:0", "one"),
                ("Poppy:Fastly:ApiToken", "secret-token")))
            .AddInMemoryProvider("one"));

        var ex = Assert.ThrowsAny<InvalidOperationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith("Unknown configuration key Poppy:Fastly: not a setting of section 'Poppy'.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("beside it", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PoppyClientOptions", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPoppy_UnknownNestedKey_ErrorNamesItsFullPath()
    {
        using var sp = Build(s => s.AddPoppy(Config(
                ("Poppy:Flavors:global:Providers:0", "one"),
                ("Poppy:CircuitBreaker:BreakDurration", "00:00:30")))
            .AddInMemoryProvider("one"));

        var ex = Assert.ThrowsAny<InvalidOperationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Poppy:CircuitBreaker:BreakDurration", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PoppyCircuitBreakerOptions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPoppy_InvalidModeValue_GetsPoppysMessageWithTheAllowedValues()
    {
        using var sp = Build(s => s.AddPoppy(Config(
                ("Poppy:Flavors:global:Mode", "Mirrored"),
                ("Poppy:Flavors:global:Providers:0", "one")))
            .AddInMemoryProvider("one"));

        var ex = Assert.ThrowsAny<InvalidOperationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("Configuration value Poppy:Flavors:global:Mode = 'Mirrored' is not valid: use Mirror or Failover.", ex.Message);
    }

    [Fact]
    public void AddPoppy_ProviderCallTimeoutMalformed_SaysHowToWriteADuration()
    {
        using var sp = Build(s => s.AddPoppy(Config(
                ("Poppy:Flavors:global:Providers:0", "one"),
                ("Poppy:ProviderCallTimeout", "100s")))
            .AddInMemoryProvider("one"));

        var ex = Assert.ThrowsAny<InvalidOperationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith("Configuration value Poppy:ProviderCallTimeout = '100s' is not valid: write a duration as hh:mm:ss", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.TimeSpan", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPoppy_ProviderCallTimeoutBareNumber_RefusedAsImplausible()
    {
        using var sp = Build(s => s.AddPoppy(Config(
                ("Poppy:Flavors:global:Providers:0", "one"),
                ("Poppy:ProviderCallTimeout", "100")))
            .AddInMemoryProvider("one"));

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Poppy:ProviderCallTimeout is 100 days", ex.Message, StringComparison.Ordinal);
        Assert.Contains("implausible", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"00:01:40\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPoppy_ProviderCallTimeoutAsDuration_Accepted()
    {
        using var sp = Build(s => s.AddPoppy(Config(
                ("Poppy:Flavors:global:Providers:0", "one"),
                ("Poppy:ProviderCallTimeout", "00:01:40")))
            .AddInMemoryProvider("one"));

        sp.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(TimeSpan.FromSeconds(100), sp.GetRequiredService<IOptions<PoppyClientOptions>>().Value.ProviderCallTimeout);
    }

    [Fact]
    public void AddPoppy_NoFlavor_FailsAtStart()
    {
        using var sp = Build(s => s.AddPoppy().AddInMemoryProvider("one"));

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("no flavor is configured", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPoppy_CalledTwice_RegistersOnce()
    {
        using var sp = Build(s =>
        {
            s.AddPoppy(o => o.AddFlavor("f", FlavorMode.Failover, "one")).AddInMemoryProvider("one");
            s.AddPoppy().AddInMemoryProvider("one");
        });

        sp.GetRequiredService<IStartupValidator>().Validate();
        Assert.Single(sp.GetServices<PoppyClient>());
        Assert.Single(sp.GetServices<CdnProviderRegistration>());
    }

    [Fact]
    public void AddProvider_BadName_Throws()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddPoppy().AddProvider("bad name", _ => null!));
    }
}
