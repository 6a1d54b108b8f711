package io.github.clipage.clip;

import ai.djl.ndarray.types.DataType;

/** Element type of a tensor stored in a checkpoint, with its safetensors code and its DJL type. */
public enum TensorType {
    F64("F64", DataType.FLOAT64, 8),
    F32("F32", DataType.FLOAT32, 4),
    F16("F16", DataType.FLOAT16, 2),
    BF16("BF16", DataType.BFLOAT16, 2),
    I64("I64", DataType.INT64, 8),
    I32("I32", DataType.INT32, 4),
    I8("I8", DataType.INT8, 1),
    U8("U8", DataType.UINT8, 1),
    BOOL("BOOL", DataType.BOOLEAN, 1);

    private final String safetensorsCode;
    private final DataType dataType;
    private final int byteSize;

    TensorType(String safetensorsCode, DataType dataType, int byteSize) {
        this.safetensorsCode = safetensorsCode;
        this.dataType = dataType;
        this.byteSize = byteSize;
    }

    /** Returns the type with the given safetensors code, such as {@code F32}. */
    public static TensorType fromSafetensorsCode(String code) {
        for (TensorType type : values()) {
            if (type.safetensorsCode.equals(code)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unsupported safetensors dtype: " + code);
    }

    /** Returns the code that safetensors headers use for this type. */
    public String safetensorsCode() {
        return safetensorsCode;
    }

    /** Returns the matching DJL data type. */
    public DataType dataType() {
        return dataType;
    }

    /** Returns the size of one element in bytes. */
    public int byteSize() {
        return byteSize;
    }

    /** Returns whether the type stores floating-point values. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }
}
