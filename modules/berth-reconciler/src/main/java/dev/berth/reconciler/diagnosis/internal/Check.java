package dev.berth.reconciler.diagnosis.internal;

import dev.berth.reconciler.diagnosis.Finding;
import java.util.List;

/** One thing a person would check by hand after a failed pull, evaluated on the stored state. */
public interface Check {

  /** The causes of this kind that hold; empty when none does. */
  List<Finding> run(PullContext context);
}
