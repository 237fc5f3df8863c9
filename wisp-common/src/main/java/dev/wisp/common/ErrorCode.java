package dev.wisp.common;

/**
 * Every error Wisp reports, with the AWS error type name and HTTP status clients expect. The
 * names are the Lambda API's own so that SDKs raise their typed exceptions.
 */
public enum ErrorCode {
    INVALID_PARAMETER("InvalidParameterValueException", 400, Fault.USER),
    INVALID_REQUEST_CONTENT("InvalidRequestContentException", 400, Fault.USER),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 404, Fault.USER),
    RESOURCE_CONFLICT("ResourceConflictException", 409, Fault.USER),
    PRECONDITION_FAILED("PreconditionFailedException", 412, Fault.USER),
    REQUEST_TOO_LARGE("RequestTooLargeException", 413, Fault.USER),
    UNSUPPORTED_MEDIA_TYPE("UnsupportedMediaTypeException", 415, Fault.USER),
    TOO_MANY_REQUESTS("TooManyRequestsException", 429, Fault.USER),
    CODE_STORAGE_EXCEEDED("CodeStorageExceededException", 400, Fault.USER),
    INVALID_ZIP("InvalidZipFileException", 502, Fault.USER),
    INVALID_SIGNATURE("InvalidSignatureException", 403, Fault.USER),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 403, Fault.USER),
    MISSING_AUTHENTICATION("MissingAuthenticationTokenException", 403, Fault.USER),
    ACCESS_DENIED("AccessDeniedException", 403, Fault.USER),
    NOT_FOUND_ROUTE("UnknownOperationException", 404, Fault.USER),
    METHOD_NOT_ALLOWED("MethodNotAllowedException", 405, Fault.USER),
    SERVICE("ServiceException", 500, Fault.PLATFORM),
    SERVICE_UNAVAILABLE("ServiceUnavailableException", 503, Fault.PLATFORM);

    /** Whose fault an error is: the caller's, or Wisp's. */
    public enum Fault { USER, PLATFORM }

    private final String awsType;
    private final int httpStatus;
    private final Fault fault;

    ErrorCode(String awsType, int httpStatus, Fault fault) {
        this.awsType = awsType;
        this.httpStatus = httpStatus;
        this.fault = fault;
    }

    public String awsType() { return awsType; }

    public int httpStatus() { return httpStatus; }

    public Fault fault() { return fault; }
}
