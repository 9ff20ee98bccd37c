package net.gpt2j.runtime.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript archive, the zip {@code torch.jit.save} writes, for a module with no parameters or
 * buffers whose code is given as TorchScript source. libtorch's {@code torch::jit::load} compiles
 * the archive's {@code code/} files when it loads them, so the forward pass can ship as source text
 * in this jar and no Python is needed to build, test or run it.
 *
 * <p>The archive holds what the loader reads for such a module: the code, {@code data.pkl} (the
 * module object: its class and its two attributes, pickled as {@code torch.jit.save} pickles them),
 * an empty {@code constants.pkl}, and the format version. Version 10 is what torch 2.x writes; the
 * loader accepts it from libtorch 2.0 on.
 *
 * <p>Public for the benchmarks, whose engine limit runs the step's products on the runtime's CPU
 * kernel through a script of their own (oneDNN's linear has no DJL operator).
 */
public final class TorchScriptArchive {

    private static final int FORMAT_VERSION = 10;

    private TorchScriptArchive() {}

    /** The archive of module class {@code className} (defined in {@code source}) as zip bytes. */
    public static byte[] of(String className, String source) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "archive/data.pkl", moduleObject(className));
            put(zip, "archive/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            put(zip, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            put(zip, "archive/.data/version", (FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return bytes.toByteArray();
    }

    /** The source of a TorchScript resource next to this class. */
    static String resource(String name) {
        try (InputStream in = TorchScriptArchive.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the runtime jar lacks its TorchScript resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runtime's TorchScript resource " + name, e);
        }
    }

    /**
     * Pickle protocol 2 of {@code __torch__.<className>()} with {@code training = True} and
     * {@code _is_full_backward_hook = None}: GLOBAL, EMPTY_TUPLE, NEWOBJ, then a dict of the two
     * attributes applied with BUILD.
     */
    private static byte[] moduleObject(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO
        p.write(2);
        ascii(p, "c__torch__\n" + className + "\n"); // GLOBAL module \n name \n
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        string(p, "training");
        p.write(0x88); // NEWTRUE
        string(p, "_is_full_backward_hook");
        p.write('N'); // NONE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    /** BINUNICODE: a 4-byte little-endian length, then UTF-8. */
    private static void string(ByteArrayOutputStream p, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        p.write('X');
        for (int i = 0; i < 4; i++) {
            p.write((utf8.length >>> (8 * i)) & 0xFF);
        }
        p.write(utf8, 0, utf8.length);
    }

    private static void ascii(ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        p.write(b, 0, b.length);
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(0); // reproducible bytes
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
