"""Create runs, telemetry, commands and heartbeat

Revision ID: 54533c82fd52
Revises: 
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '54533c82fd52'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('runner_heartbeat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=128), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('run_id', sa.BigInteger(), nullable=True),
    sa.Column('step', sa.BigInteger(), nullable=True),
    sa.Column('sim_time', sa.Float(), nullable=True),
    sa.Column('queue_length', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runner_heartbeat'))
    )
    op.create_table('runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('plant', sa.String(length=32), nullable=False),
    sa.Column('controller', sa.String(length=32), nullable=False),
    sa.Column('dt', sa.Float(), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    op.create_table('commands',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('applied_step', sa.BigInteger(), nullable=True),
    sa.Column('applied_run_id', sa.BigInteger(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_commands_run_id_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commands'))
    )
    with op.batch_alter_table('commands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commands_status'), ['status'], unique=False)

    op.create_table('telemetry',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('step', sa.BigInteger(), nullable=False),
    sa.Column('sim_time', sa.Float(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('setpoint', sa.Float(), nullable=False),
    sa.Column('process_value', sa.Float(), nullable=False),
    sa.Column('control_output', sa.Float(), nullable=False),
    sa.Column('signals', sa.JSON(), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_telemetry_run_id_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telemetry')),
    sa.UniqueConstraint('run_id', 'step', name=op.f('uq_telemetry_run_id_step'))
    )


def downgrade():
    op.drop_table('telemetry')
    with op.batch_alter_table('commands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commands_status'))

    op.drop_table('commands')
    op.drop_table('runs')
    op.drop_table('runner_heartbeat')
