package io.lightcone.txn.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.BooleanSupplier;

/**
 * A file channel that delegates, except that writes and forces throw once a switch says so.
 */
final class FaultyFileChannel extends FileChannel
{
    private final FileChannel delegate;
    private final BooleanSupplier failNow;

    FaultyFileChannel(final FileChannel delegate, final BooleanSupplier failNow)
    {
        this.delegate = delegate;
        this.failNow = failNow;
    }

    private void check() throws IOException
    {
        if (failNow.getAsBoolean())
        {
            throw new IOException("injected: disk failed");
        }
    }

    public int read(final ByteBuffer dst) throws IOException
    {
        return delegate.read(dst);
    }

    public long read(final ByteBuffer[] dsts, final int offset, final int length) throws IOException
    {
        return delegate.read(dsts, offset, length);
    }

    public int write(final ByteBuffer src) throws IOException
    {
        check();
        return delegate.write(src);
    }

    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException
    {
        check();
        return delegate.write(srcs, offset, length);
    }

    public long position() throws IOException
    {
        return delegate.position();
    }

    public FileChannel position(final long newPosition) throws IOException
    {
        delegate.position(newPosition);
        return this;
    }

    public long size() throws IOException
    {
        return delegate.size();
    }

    public FileChannel truncate(final long size) throws IOException
    {
        delegate.truncate(size);
        return this;
    }

    public void force(final boolean metaData) throws IOException
    {
        check();
        delegate.force(metaData);
    }

    public long transferTo(final long position, final long count, final WritableByteChannel target)
        throws IOException
    {
        return delegate.transferTo(position, count, target);
    }

    public long transferFrom(final ReadableByteChannel src, final long position, final long count)
        throws IOException
    {
        check();
        return delegate.transferFrom(src, position, count);
    }

    public int read(final ByteBuffer dst, final long position) throws IOException
    {
        return delegate.read(dst, position);
    }

    public int write(final ByteBuffer src, final long position) throws IOException
    {
        check();
        return delegate.write(src, position);
    }

    public MappedByteBuffer map(final MapMode mode, final long position, final long size) throws IOException
    {
        return delegate.map(mode, position, size);
    }

    public FileLock lock(final long position, final long size, final boolean shared) throws IOException
    {
        return delegate.lock(position, size, shared);
    }

    public FileLock tryLock(final long position, final long size, final boolean shared) throws IOException
    {
        return delegate.tryLock(position, size, shared);
    }

    protected void implCloseChannel() throws IOException
    {
        delegate.close();
    }
}
