package dev.wisp.cli;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** One line a person can act on, for any failure a command meets. */
final class Errors {
    private Errors() {}

    static String describe(Throwable e) {
        if (e instanceof AwsServiceException a) {
            return a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage();
        }
        if (e instanceof SdkClientException c) {
            String m = c.getMessage();
            if (m != null && m.contains("Unable to load credentials")) {
                return "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the admin key printed by the first `wisp serve`)";
            }
            if (m != null && (m.contains("Connection refused") || m.contains("Unable to execute HTTP request"))) {
                return "cannot reach the Wisp server (" + m + "); is `wisp serve` running and --endpoint right?";
            }
            return m;
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
