package io.github.clipage.clip;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal unpickler for the pickles that {@code torch.save} writes (protocol 2, plus the few
 * protocol 4 opcodes that newer writers use). It never imports or calls Python code: a
 * {@code GLOBAL} is looked up through a {@link Resolver} that accepts only an allow-list, and
 * {@code REDUCE} calls only the {@link PickleCallable}s that the resolver returned.
 *
 * <p>Values map to Java as follows: str to {@link String}, int to {@link Long}, float to
 * {@link Double}, bool to {@link Boolean}, None to {@code null}, list to {@link ArrayList}, tuple to
 * an unmodifiable {@link List}, dict to {@link LinkedHashMap}, bytes to {@code byte[]}.
 */
final class PickleMachine {

    /** A Python callable that the resolver allowed; {@code REDUCE} calls it with the argument tuple. */
    @FunctionalInterface
    interface PickleCallable {
        Object call(List<Object> args) throws PickleException;
    }

    /** The only bridge from the pickle to the outside world: globals and persistent ids. */
    interface Resolver {

        /** Returns the object for {@code module.name}, or raises a {@link PickleException} when it is not allowed. */
        Object findGlobal(String module, String name) throws PickleException;

        /** Returns the object that a persistent id stands for, such as a tensor storage. */
        Object persistentLoad(Object persistentId) throws PickleException;
    }

    private static final Object MARK = new Object();

    private final ByteBuffer input;
    private final Resolver resolver;
    private final String source;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Integer, Object> memo = new HashMap<>();

    private PickleMachine(byte[] pickle, Resolver resolver, String source) {
        this.input = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.resolver = resolver;
        this.source = source;
    }

    /** Runs the pickle program up to {@code STOP} and returns the object it built. */
    static Object load(byte[] pickle, Resolver resolver, String source) throws PickleException {
        PickleMachine machine = new PickleMachine(pickle, resolver, source);
        try {
            return machine.run();
        } catch (java.nio.BufferUnderflowException e) {
            throw new PickleException("The pickle in " + source + " ends before its STOP opcode; the file is truncated or corrupted");
        }
    }

    private Object run() throws PickleException {
        while (input.hasRemaining()) {
            int offset = input.position();
            int opcode = input.get() & 0xFF;
            switch (opcode) {
                case 0x80 -> checkProtocol(input.get() & 0xFF); // PROTO
                case 0x95 -> input.getLong(); // FRAME: only a size hint, frames need no special handling here
                case '.' -> { // STOP
                    return pop();
                }

                case '(' -> { // MARK
                    marks.push(stack.size());
                    stack.add(MARK);
                }
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP

                case 'N' -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'J' -> push((long) input.getInt()); // BININT
                case 'K' -> push((long) (input.get() & 0xFF)); // BININT1
                case 'M' -> push((long) (input.getShort() & 0xFFFF)); // BININT2
                case 0x8a -> push(readLong(input.get() & 0xFF, offset)); // LONG1
                case 0x8b -> push(readLong(readLength(input.getInt(), offset), offset)); // LONG4
                case 'G' -> push(ByteBuffer.wrap(readBytes(8)).getDouble()); // BINFLOAT, big-endian unlike the rest
                case 'X' -> push(readString(readLength(input.getInt(), offset))); // BINUNICODE
                case 0x8c -> push(readString(input.get() & 0xFF)); // SHORT_BINUNICODE
                case 0x8d -> push(readString(readLength(input.getLong(), offset))); // BINUNICODE8
                case 'T' -> push(readString(readLength(input.getInt(), offset))); // BINSTRING, a Python 2 str
                case 'U' -> push(readString(input.get() & 0xFF)); // SHORT_BINSTRING
                case 'B' -> push(readBytes(readLength(input.getInt(), offset))); // BINBYTES
                case 'C' -> push(readBytes(input.get() & 0xFF)); // SHORT_BINBYTES

                case ')' -> push(List.of()); // EMPTY_TUPLE
                case 't' -> push(Collections.unmodifiableList(popMark())); // TUPLE
                case 0x85 -> push(tupleOf(1)); // TUPLE1
                case 0x86 -> push(tupleOf(2)); // TUPLE2
                case 0x87 -> push(tupleOf(3)); // TUPLE3
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'a' -> { // APPEND
                    Object item = pop();
                    asList(peek(), offset).add(item);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    asList(peek(), offset).addAll(items);
                }
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case 'd' -> { // DICT
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putAll(dict, popMark(), offset);
                    push(dict);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    asDict(peek(), offset).put(key, value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putAll(asDict(peek(), offset), items, offset);
                }

                case 'q' -> memo.put(input.get() & 0xFF, peek()); // BINPUT
                case 'r' -> memo.put(readMemoIndex(input.getInt(), offset), peek()); // LONG_BINPUT
                case 0x94 -> memo.put(memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(input.get() & 0xFF, offset)); // BINGET
                case 'j' -> push(memoGet(readMemoIndex(input.getInt(), offset), offset)); // LONG_BINGET

                case 'c' -> push(resolver.findGlobal(readLine(offset), readLine(offset))); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String moduleName) || !(name instanceof String globalName)) {
                        throw malformed("STACK_GLOBAL needs two strings", offset);
                    }
                    push(resolver.findGlobal(moduleName, globalName));
                }
                case 'Q' -> push(resolver.persistentLoad(pop())); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(reduce(callable, args, offset));
                }
                case 'b' -> build(pop(), peek(), offset); // BUILD

                default -> throw new PickleException(String.format(
                        "Unsupported pickle opcode 0x%02x at offset %d in %s; a PyTorch state dict does not need it",
                        opcode, offset, source));
            }
        }
        throw new PickleException("The pickle in " + source + " ends before its STOP opcode; the file is truncated or corrupted");
    }

    private void checkProtocol(int protocol) throws PickleException {
        if (protocol > 5) {
            throw new PickleException("Pickle protocol " + protocol + " in " + source + " is newer than 5, the highest known");
        }
    }

    private Object reduce(Object callable, Object args, int offset) throws PickleException {
        if (!(callable instanceof PickleCallable function)) {
            throw malformed("REDUCE on " + describe(callable) + ", which is not an allowed callable", offset);
        }
        if (!(args instanceof List<?> argList)) {
            throw malformed("REDUCE with arguments that are not a tuple", offset);
        }
        @SuppressWarnings("unchecked")
        List<Object> arguments = (List<Object>) argList;
        return function.call(arguments);
    }

    /**
     * Applies {@code BUILD}. The only state a state dict carries is the {@code _metadata} attribute
     * that {@code Module.state_dict()} sets on its OrderedDict. It contains module versions, not
     * weights, so it is dropped.
     */
    private void build(Object state, Object target, int offset) throws PickleException {
        if (state == null || target instanceof Map<?, ?>) {
            return;
        }
        throw malformed("BUILD on " + describe(target) + ", which has no settable state", offset);
    }

    private List<Object> tupleOf(int count) throws PickleException {
        Object[] items = new Object[count];
        for (int i = count - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return Collections.unmodifiableList(java.util.Arrays.asList(items));
    }

    private void putAll(Map<Object, Object> dict, List<Object> items, int offset) throws PickleException {
        if (items.size() % 2 != 0) {
            throw malformed("an odd number of items for a dict", offset);
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object value, int offset) throws PickleException {
        if (value instanceof ArrayList<?> list) {
            return (List<Object>) list;
        }
        throw malformed("APPEND to " + describe(value) + ", which is not a list", offset);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asDict(Object value, int offset) throws PickleException {
        if (value instanceof Map<?, ?> map) {
            return (Map<Object, Object>) map;
        }
        throw malformed("SETITEM on " + describe(value) + ", which is not a dict", offset);
    }

    private Object memoGet(int index, int offset) throws PickleException {
        if (!memo.containsKey(index)) {
            throw malformed("a memo lookup of index " + index + ", which was never stored", offset);
        }
        return memo.get(index);
    }

    private void push(Object value) {
        stack.add(value);
    }

    private Object peek() throws PickleException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw malformed("an opcode that needs a value on an empty stack", input.position() - 1);
        }
        return stack.get(stack.size() - 1);
    }

    private Object pop() throws PickleException {
        Object value = peek();
        stack.remove(stack.size() - 1);
        return value;
    }

    /** Removes and returns everything above the topmost mark, and the mark itself. */
    private List<Object> popMark() throws PickleException {
        if (marks.isEmpty()) {
            throw malformed("an opcode that needs a MARK, but none is set", input.position() - 1);
        }
        int markIndex = marks.pop();
        List<Object> items = new ArrayList<>(stack.subList(markIndex + 1, stack.size()));
        stack.subList(markIndex, stack.size()).clear();
        return items;
    }

    private long readLong(int byteCount, int offset) throws PickleException {
        byte[] littleEndian = readBytes(byteCount);
        if (byteCount == 0) {
            return 0;
        }
        byte[] bigEndian = new byte[byteCount];
        for (int i = 0; i < byteCount; i++) {
            bigEndian[i] = littleEndian[byteCount - 1 - i];
        }
        BigInteger value = new BigInteger(bigEndian);
        if (value.bitLength() > 63) {
            throw malformed("an integer of " + value.bitLength() + " bits, which exceeds the 64 bits of a Java long", offset);
        }
        return value.longValue();
    }

    // A memo index counts stored objects, not bytes, so it is not bounded by the bytes left.
    private int readMemoIndex(int index, int offset) throws PickleException {
        if (index < 0) {
            throw malformed("a negative memo index " + index, offset);
        }
        return index;
    }

    private int readLength(long length, int offset) throws PickleException {
        if (length < 0 || length > input.remaining()) {
            throw malformed("a length of " + length + " bytes, more than the " + input.remaining() + " left", offset);
        }
        return (int) length;
    }

    private byte[] readBytes(int length) {
        byte[] bytes = new byte[length];
        input.get(bytes);
        return bytes;
    }

    private String readString(int length) {
        return new String(readBytes(length), StandardCharsets.UTF_8);
    }

    /** Reads one newline-terminated argument of {@code GLOBAL}. */
    private String readLine(int offset) throws PickleException {
        int start = input.position();
        while (input.hasRemaining()) {
            if (input.get() == '\n') {
                byte[] line = new byte[input.position() - 1 - start];
                input.get(start, line);
                return new String(line, StandardCharsets.UTF_8);
            }
        }
        throw malformed("a GLOBAL without its newline", offset);
    }

    private PickleException malformed(String problem, int offset) {
        return new PickleException("Invalid pickle in " + source + ": " + problem + " at offset " + offset);
    }

    private static String describe(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }
}
