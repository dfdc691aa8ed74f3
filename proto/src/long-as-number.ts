import $protobuf from 'protobufjs/minimal.js';

// The generated code was built with --force-number: every uint64 here is ms since the epoch or a sequence
// number, far below 2^53. Without this, protobufjs decodes them as Long objects whenever `long` is installed.
$protobuf.util.Long = undefined as unknown as typeof $protobuf.util.Long;
$protobuf.configure();
