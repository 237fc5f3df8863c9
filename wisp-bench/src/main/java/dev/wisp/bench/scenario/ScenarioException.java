package dev.wisp.bench.scenario;

import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;

/** A scenario file that cannot be used as written; the message names the file, the place and the field. */
public final class ScenarioException extends WispException {
    public ScenarioException(String message) {
        super(ErrorCode.INVALID_PARAMETER, message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(ErrorCode.INVALID_PARAMETER, message, java.util.Map.of(), cause);
    }
}
