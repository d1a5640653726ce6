using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Api;

namespace Poppy.Sdk.CloudFront.Tests.Integration;

/// <summary>The delete state machine against the emulator: polls that only read, resumes from every state, repeatable transitions.</summary>
public sealed class CloudFrontDeleteStateMachineTests : CloudFrontEmulatorTestBase
{
    private int Writes => Emulator.CloudFront.Calls.Calls.Count(c => c.Method is "PUT" or "POST" or "DELETE");

    [Fact]
    public async Task Poll_WhileTheDisabledDistributionDeploys_MakesNoWrite()
    {
        var created = await CreateDeployedAsync("del-1", TestSpecs.Simple);
        var delete = await Provider.DeleteServiceAsync(new ServiceReference("del-1", created.VendorServiceId));
        Assert.Equal(1, Emulator.CloudFront.Calls.Count("PUT", "/config"));
        Emulator.CloudFront.Calls.Clear();

        for (var i = 0; i < 5; i++)
        {
            Assert.False(await delete.UpdateStatusAsync());
            Assert.Equal("waiting for the disabled distribution to deploy", delete.StatusDescription);
            Time.Advance(TimeSpan.FromSeconds(20)); // 100 s in all, less than the 4-minute deployment
        }

        Assert.Equal(0, Writes);
        Assert.Equal(5, Emulator.CloudFront.Calls.Count("GET"));

        Time.Advance(DeployDelay);
        await CompleteAsync(delete);
        Assert.Equal(1, Emulator.CloudFront.Calls.Count("DELETE"));
        Assert.Equal(1, Writes);
        Assert.Empty(Emulator.CloudFront.Distributions);
    }

    public static TheoryData<string> States => new() { "Enabled", "Disabling", "ReadyToDelete", "FunctionLeft", "Done" };

    [Theory]
    [MemberData(nameof(States))]
    public async Task Resume_FromEachState_Finishes(string state)
    {
        var created = await CreateDeployedAsync("del-2", TestSpecs.Rich);
        var reference = new ServiceReference("del-2", created.VendorServiceId);
        var id = $"cloudfront:delete:{created.VendorServiceId}:del-2";
        if (state != "Enabled")
        {
            var started = await Provider.DeleteServiceAsync(reference);
            Assert.Equal(id, started.Id);
            if (state is "ReadyToDelete" or "FunctionLeft" or "Done")
            {
                Time.Advance(DeployDelay);
            }

            if (state is "FunctionLeft" or "Done")
            {
                Assert.False(await started.UpdateStatusAsync()); // deletes the distribution; the function is left
                Assert.Empty(Emulator.CloudFront.Distributions);
                Assert.Single(Emulator.CloudFront.Functions);
            }

            if (state == "Done")
            {
                await CompleteAsync(started);
            }
        }

        Assert.Equal(state, (await ObserveAsync(created.VendorServiceId!, "del-2")).State.ToString());

        // A new process resumes from the id alone.
        var resumed = await NewProvider().ResumeOperationAsync(id);
        await CompleteAsync(resumed);

        Assert.Equal(new ServiceReference("del-2", created.VendorServiceId), ((CdnOperation<ServiceReference>)resumed).Value);
        Assert.Empty(Emulator.CloudFront.Distributions);
        Assert.Empty(Emulator.CloudFront.Functions);
    }

    [Fact]
    public async Task Transition_Repeated_IsHarmless()
    {
        var created = await CreateDeployedAsync("del-3", TestSpecs.Rich);
        var distributionId = created.VendorServiceId!;
        var operation = NewOperation(distributionId, "del-3");

        // Disable twice on one observation: the second finds it disabled and writes nothing.
        var enabled = await operation.ObserveAsync(CancellationToken.None);
        Assert.Equal(CloudFrontDeleteState.Enabled, enabled.State);
        Emulator.CloudFront.Calls.Clear();
        Assert.True(await operation.TransitionAsync(enabled, CancellationToken.None));
        Assert.False(await operation.TransitionAsync(enabled, CancellationToken.None));
        Assert.Equal(1, Writes);

        // Delete the deployed distribution twice with the same ETag: the second finds it gone.
        Time.Advance(DeployDelay);
        var ready = await operation.ObserveAsync(CancellationToken.None);
        Assert.Equal(CloudFrontDeleteState.ReadyToDelete, ready.State);
        await operation.TransitionAsync(ready, CancellationToken.None);
        await operation.TransitionAsync(ready, CancellationToken.None);
        Assert.Empty(Emulator.CloudFront.Distributions);

        // Delete the function twice: the second finds it gone.
        var functionLeft = await operation.ObserveAsync(CancellationToken.None);
        Assert.Equal(CloudFrontDeleteState.FunctionLeft, functionLeft.State);
        await operation.TransitionAsync(functionLeft, CancellationToken.None);
        await operation.TransitionAsync(functionLeft, CancellationToken.None);
        Assert.Empty(Emulator.CloudFront.Functions);
        Assert.Equal(CloudFrontDeleteState.Done, (await operation.ObserveAsync(CancellationToken.None)).State);

        // A whole poll repeated after the end changes nothing either.
        Emulator.CloudFront.Calls.Clear();
        await CompleteAsync(operation);
        Assert.Equal(0, Writes);
    }

    [Fact]
    public async Task Delete_AfterAnotherProcessChangedTheDistribution_RedecidesFromAFreshRead()
    {
        var created = await CreateDeployedAsync("del-4", TestSpecs.Simple);
        var operation = NewOperation(created.VendorServiceId!, "del-4");
        var stale = await operation.ObserveAsync(CancellationToken.None);

        // Someone else updates the distribution between our observation and our transition; the transition re-reads the config for its ETag.
        await NewProvider().UpdateServiceAsync(new ServiceReference("del-4", created.VendorServiceId), TestSpecs.Normalize(TestSpecs.Simple) with { Name = "renamed" });
        Assert.True(await operation.TransitionAsync(stale, CancellationToken.None));

        await CompleteAsync(operation);
        Assert.Empty(Emulator.CloudFront.Distributions);
    }

    private CloudFrontDeleteOperation NewOperation(string distributionId, string serviceId)
    {
        var options = Options();
        var account = new CloudFrontAccount("cloudfront", new CloudFrontApi(CloudFrontCdnProvider.CreateHttpClient(options, Time), options, Time, NullLogger.Instance), options, Time, NullLogger.Instance);
        return new CloudFrontDeleteOperation(account, distributionId, serviceId);
    }

    private Task<CloudFrontDeleteOperation.Observation> ObserveAsync(string distributionId, string serviceId) =>
        NewOperation(distributionId, serviceId).ObserveAsync(CancellationToken.None);
}
