package net.gpt2j.cli;

import java.util.concurrent.Callable;
import net.gpt2j.runtime.model.EngineReport;
import picocli.CommandLine.Command;

@Command(name = "env", mixinStandardHelpOptions = true,
        description = "Show the engine the models run on: PyTorch and DJL versions, where the native libraries "
                + "came from, the devices, whether CUDA is used (and why not), and the thread counts.")
final class EnvCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        EngineReport.lines().forEach(System.out::println);
        return 0;
    }
}
