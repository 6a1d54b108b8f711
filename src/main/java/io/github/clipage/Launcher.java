package io.github.clipage;

import io.github.clipage.clip.FetchCommand;
import io.github.clipage.clip.SyntheticCheckpoint;
import io.github.clipage.prediction.EvaluateCommand;
import java.io.PrintStream;
import java.util.Arrays;

/** Chooses from the first command-line argument whether to start the service, run a command or print the usage. */
final class Launcher {

    /** The action that the first argument selects. */
    enum Action {
        SERVICE, HELP, FETCH, EVALUATE, SYNTHETIC_CHECKPOINT, UNKNOWN
    }

    static final String SYNTHETIC_CHECKPOINT_NAME = "synthetic-checkpoint";

    /** Exit code of an unknown command, the same as the commands use for invalid arguments. */
    static final int EXIT_USAGE = 2;

    static final String USAGE = """
            Usage: java -jar app.jar [--name=value ...]    start the age-estimation service
                   java -jar app.jar COMMAND [ARGUMENTS]   run a command and exit

            Commands:
              fetch                 download the configured model into the Hugging Face cache
              evaluate              measure the model's accuracy on a folder of labelled photographs (evaluate --help)
              synthetic-checkpoint  write a CLIP checkpoint with seeded random weights: SHAPE FOLDER [SEED]
              help, --help, -h      print this usage

            Service settings are given as --name=value, such as --age.model.id=demo or --server.port=8081;
            fetch and evaluate read them too.""";

    private Launcher() {}

    /**
     * Returns the action the arguments select. No argument, or a first argument that starts with
     * {@code -} other than {@code -h} and {@code --help}, starts the service, because Spring Boot
     * reads {@code --name=value} arguments as settings.
     */
    static Action actionFor(String[] args) {
        if (args.length == 0) {
            return Action.SERVICE;
        }
        String first = args[0];
        if (first.equals("help") || first.equals("--help") || first.equals("-h")) {
            return Action.HELP;
        }
        if (first.equals(FetchCommand.NAME)) {
            return Action.FETCH;
        }
        if (first.equals(EvaluateCommand.NAME)) {
            return Action.EVALUATE;
        }
        if (first.equals(SYNTHETIC_CHECKPOINT_NAME)) {
            return Action.SYNTHETIC_CHECKPOINT;
        }
        return first.startsWith("-") ? Action.SERVICE : Action.UNKNOWN;
    }

    /**
     * Runs an action other than {@link Action#SERVICE} and returns the process exit code. The
     * commands receive the arguments after their name.
     */
    static int runCommand(Action action, String[] args, PrintStream out, PrintStream err) {
        String[] commandArgs = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        return switch (action) {
            case HELP -> {
                out.println(USAGE);
                yield 0;
            }
            case UNKNOWN -> {
                err.println("Unknown command '" + args[0] + "'.");
                err.println(USAGE);
                yield EXIT_USAGE;
            }
            case FETCH -> FetchCommand.run(commandArgs);
            case EVALUATE -> EvaluateCommand.run(commandArgs);
            case SYNTHETIC_CHECKPOINT -> SyntheticCheckpoint.run(commandArgs);
            case SERVICE -> throw new IllegalArgumentException("The service is started by SpringApplication, not as a command");
        };
    }
}
